// One run at a time per target project. The lock file is also the marker a run leaves when it
// is killed with SIGKILL: it names the run, its journal and its target, so the next run or
// `faultline reset` can heal what it left and mark its journal.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';

export interface LockInfo {
  pid: number;
  runId: string;
  experiment: string;
  runDir: string;
  /** Enough to load the same target again: its file, host and project. */
  target: { path: string; host: string; project: string };
  startedAt: string;
}

export const lockDir = (env: NodeJS.ProcessEnv = process.env): string => env.FAULTLINE_LOCK_DIR ?? join(tmpdir(), 'faultline-locks');
export const lockPath = (project: string, env?: NodeJS.ProcessEnv): string => join(lockDir(env), `${project}.json`);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function readLock(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** A lock whose process is gone: a run that was killed before it could heal. */
export function staleLock(project: string, env?: NodeJS.ProcessEnv): LockInfo | undefined {
  const info = readLock(lockPath(project, env));
  return info && !alive(info.pid) ? info : undefined;
}

/**
 * Take the lock, or fail with who holds it. A stale lock is not taken over here: the caller
 * heals what that run left (see recover.ts) and removes it first.
 */
export function acquireLock(info: LockInfo, env?: NodeJS.ProcessEnv): () => void {
  const path = lockPath(info.target.project, env);
  mkdirSync(lockDir(env), { recursive: true });
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = readLock(path);
    throw new FaultlineError(ErrorCodes.RUN_LOCKED,
      holder ? `another run holds ${info.target.project}: "${holder.experiment}" (run ${holder.runId}, pid ${holder.pid}${alive(holder.pid) ? '' : ', no longer running'}) since ${holder.startedAt}` : `${path} exists`,
      holder && !alive(holder.pid) ? 'run `faultline reset` to heal what it left, then run again' : 'wait for it to finish (one run at a time per target)');
  }
  writeSync(fd, JSON.stringify(info, null, 2));
  closeSync(fd);
  return () => {
    if (readLock(path)?.runId === info.runId) rmSync(path, { force: true });
  };
}

export function removeLock(project: string, env?: NodeJS.ProcessEnv): void {
  rmSync(lockPath(project, env), { force: true });
}
