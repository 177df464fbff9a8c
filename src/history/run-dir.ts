// Where runs are kept: <root>/<date>-<time>-<experiment>-<runId>/, with <root>/latest pointing at
// the newest. The root is ./.faultline/runs unless --runs-dir or FAULTLINE_RUNS_DIR says otherwise.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const runsRoot = (explicit?: string, env: NodeJS.ProcessEnv = process.env): string =>
  resolve(explicit ?? env.FAULTLINE_RUNS_DIR ?? '.faultline/runs');

/** Short and unique enough to tell runs apart in toxic names (fl-<runId>-…). */
export const newRunId = (): string => randomBytes(4).toString('hex');

export function createRunDir(root: string, experiment: string, runId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = join(root, `${stamp}-${experiment}-${runId}`);
  mkdirSync(dir, { recursive: true });
  // Replace the link atomically: make it under a temporary name, then rename over the old one.
  const tmp = join(root, `.latest-${runId}`);
  symlinkSync(dir.slice(root.length + 1), tmp);
  renameSync(tmp, join(root, 'latest'));
  return dir;
}
