// Latency percentiles per phase from HDR histograms, counted from the scheduled send time (open
// loop), so a stalled client shows as slow writes, not as missing ones. Two views: every write (a
// failed or indeterminate one at its time to failure, e.g. a timeout at its timeout, censored; one
// that never ended at the last evidence), and successful writes only. Judging successful writes
// alone would call 90 timeouts and 10 quick successes a p99 of 10 ms.
import hdr from 'hdr-histogram-js';
import type { History } from '../history/model.ts';
import { phaseAt, phases, PHASES, type PhaseName } from './timeline.ts';

export type LatencySummary = { count: number; p50: number; p90: number; p99: number; max: number } | null;
export interface Latency { all: Record<PhaseName, LatencySummary>; ok: Record<PhaseName, LatencySummary> }

const newHist = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
type Hist = ReturnType<typeof newHist>;

function summarize(hg: Hist | undefined): LatencySummary {
  if (!hg || hg.totalCount === 0) return null;
  return { count: hg.totalCount, p50: hg.getValueAtPercentile(50), p90: hg.getValueAtPercentile(90), p99: hg.getValueAtPercentile(99), max: hg.maxValue };
}

export function latencyByPhase(h: History): Latency {
  const p = phases(h);
  const all = new Map<PhaseName, Hist>();
  const ok = new Map<PhaseName, Hist>();
  const ops = h.ops;
  for (let i = 0; i < ops.length; i++) {
    const due = ops.due(i);
    const end = ops.isPending(i) ? h.endT : ops.end(i);
    const ms = Math.min(3_600_000, Math.max(1, Math.round(end - due)));
    const ph = phaseAt(due, p);
    if (!all.has(ph)) all.set(ph, newHist());
    all.get(ph)!.recordValue(ms);
    if (ops.isOk(i)) {
      if (!ok.has(ph)) ok.set(ph, newHist());
      ok.get(ph)!.recordValue(ms);
    }
  }
  const out: Latency = { all: {} as Latency['all'], ok: {} as Latency['ok'] };
  for (const ph of PHASES) {
    out.all[ph] = summarize(all.get(ph));
    out.ok[ph] = summarize(ok.get(ph));
  }
  for (const hg of [...all.values(), ...ok.values()]) hg.destroy();
  return out;
}
