// Once per test run (the root config's globalSetup, before any project's): a directory for the
// packed and installed package that unit and mesh tests share (test/package/installed.ts), removed
// when the run ends, after every project's teardown (the mesh is down by then).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR_ENV } from './installed.ts';

export function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-pkg-'));
  // Test processes start after this, and inherit it.
  process.env[PACKAGE_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
