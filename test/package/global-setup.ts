// Once per test run: a directory for the packed and installed package that unit and mesh tests
// share (test/package/installed.ts). Listed in both projects' globalSetup (vitest runs every
// project's before any test, the root config's last): the first makes it, the other finds it. It is
// removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR_ENV } from './installed.ts';

export function setup(): (() => void) | undefined {
  if (process.env[PACKAGE_DIR_ENV]) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-pkg-'));
  // Test processes start after this, and inherit it.
  process.env[PACKAGE_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
