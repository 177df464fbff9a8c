// Median/min/max of a series of timings, for benchmark output.
export interface Summary { n: number; median: number; min: number; max: number }

export function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

export const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const line = (name: string, s: Summary, target?: number): string =>
  `${name.padEnd(44)} median ${fmt(s.median).padStart(8)}  min ${fmt(s.min).padStart(8)}  max ${fmt(s.max).padStart(8)}  (n=${s.n})` +
  (target === undefined ? '' : `  target <= ${fmt(target)} ${s.median <= target ? 'MET' : 'MISSED'}`);

/** Nearest-rank percentile (q in 0..1) of an ascending array. */
export const percentile = (sorted: number[], q: number): number => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? sorted[0]! : NaN;
