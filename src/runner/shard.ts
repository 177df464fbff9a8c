// One CI job's slice of a list of runs (experiments, or a sweep's points): `--shard 2/4` is the
// second of four. Slices are contiguous and differ in size by at most one, and every job cuts the
// same list the same way (it is sorted by the caller), so the n slices together run each item once.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';

export interface Shard { index: number; total: number }

export function parseShard(spec: string, flag = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN, total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total || total > 1000) {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `${flag} ${spec} is not a slice i/n with 1 <= i <= n <= 1000`, `pass e.g. ${flag} 1/3 in the first of three jobs, ${flag} 3/3 in the last`);
  }
  return { index, total };
}

/** Items [from, to) of the slice: job i of n takes floor((i-1)·len/n) up to floor(i·len/n). */
export function shardRange(length: number, s: Shard): { from: number; to: number } {
  return { from: Math.floor(((s.index - 1) * length) / s.total), to: Math.floor((s.index * length) / s.total) };
}

export function sliceForShard<T>(items: readonly T[], s: Shard | undefined): T[] {
  if (!s) return [...items];
  const { from, to } = shardRange(items.length, s);
  return items.slice(from, to);
}
