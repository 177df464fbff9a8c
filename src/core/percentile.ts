// One percentile rule for every figure: nearest rank, so a percentile is always a value that was
// observed, never an interpolated one.

/** The value of rank ceil(p% of n) in ascending `sorted`; null when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}
