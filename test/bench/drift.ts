// One step of the generator benchmark: how far behind schedule a tool sent, and how fast it went.
import { percentile } from './stats.ts';

export interface Step { tool: string; rate: number; n: number; p50: number; p99: number; max: number; achieved: number; errors: number; cpu: number }

/** `sentAt` and `drift` in ms; achieved rate is measured between the first and last send. */
/** `cpu` is the tool's CPU time over the step, as a share of one core. */
export function stepOf(tool: string, rate: number, sentAt: number[], drift: number[], errors: number, cpu: number): Step {
  const d = [...drift].sort((a, b) => a - b);
  const first = sentAt.reduce((a, b) => Math.min(a, b), Infinity), last = sentAt.reduce((a, b) => Math.max(a, b), -Infinity);
  const achieved = sentAt.length > 1 ? ((sentAt.length - 1) / (last - first)) * 1000 : 0;
  return { tool, rate, n: d.length, p50: percentile(d, 0.5), p99: percentile(d, 0.99), max: d[d.length - 1] ?? NaN, achieved, errors, cpu };
}

/** Drift p99 under `barMs`, achieved rate within 1% of the target, no errors. */
export const holdsWithin = (barMs: number) => (s: Step): boolean => s.p99 < barMs && Math.abs(s.achieved - s.rate) / s.rate <= 0.01 && s.errors === 0;
/** The bar: drift p99 under 1 ms. */
export const holds = holdsWithin(1);
