// The CLI maps outcomes to the documented exit codes and prints coded errors.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCodes } from '../../src/cli/exit-codes.ts';

const cli = join(import.meta.dirname, '../../src/cli/main.ts');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('faultline CLI', () => {
  it('rejects a malformed target with FL_BAD_TARGET, its paths, and exit code 4', () => {
    const file = join(tmpdir(), `faultline-bad-target-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ project: 'Bad Name', zones: {}, links: [] }));
    const r = run('--target', file, 'status');
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toContain('FL_BAD_TARGET');
    expect(r.stderr).toMatch(/project: /);
    expect(r.stderr).toMatch(/toxiproxy: /);
  });

  it('lists its commands', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const c of ['up', 'down', 'status']) expect(r.stdout).toContain(c);
  });
});
