// Latency percentiles per phase from HDR histograms. Latency counts from the scheduled send time
// (open loop), so a stalled client shows as slow writes, not as missing ones.
import hdr from 'hdr-histogram-js';
import type { History } from '../history/model.ts';
import { phaseOf, phases } from './timeline.ts';

export type LatencySummary = { count: number; p50: number; p90: number; p99: number; max: number } | null;

export function latencyByPhase(h: History): Record<'before' | 'during' | 'after', LatencySummary> {
  const p = phases(h);
  const hist = { before: [] as number[], during: [] as number[], after: [] as number[] };
  for (const op of h.ops) if (op.outcome === 'ok' && op.endT !== null) hist[phaseOf(op, p)].push(Math.max(1, Math.round(op.endT - op.scheduledT)));
  const summarize = (xs: number[]): LatencySummary => {
    if (!xs.length) return null;
    const hg = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
    for (const x of xs) hg.recordValue(x);
    const r = { count: xs.length, p50: hg.getValueAtPercentile(50), p90: hg.getValueAtPercentile(90), p99: hg.getValueAtPercentile(99), max: hg.maxValue };
    hg.destroy();
    return r;
  };
  return { before: summarize(hist.before), during: summarize(hist.during), after: summarize(hist.after) };
}
