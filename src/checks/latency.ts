// Latency percentiles per phase, counted from the scheduled send time (open loop), so a stalled
// client shows as slow writes, not as missing ones. Two views: every write (a failed or
// indeterminate one at its time to failure, e.g. a timeout at its timeout, censored; one that never
// ended at the last evidence), and successful writes only. Judging successful writes alone would
// call 90 timeouts and 10 quick successes a p99 of 10 ms.
//
// Exact nearest-rank percentiles over whole milliseconds: the history already holds every op, so
// one typed array per phase, sorted once, costs 4 bytes an op and is faster here than recording
// into histograms (which trade exactness for bounded memory in a stream, not needed after the fact).
import { percentile } from '../core/percentile.ts';
import type { History } from '../history/model.ts';
import { phaseAt, phases, PHASES, type PhaseName } from './timeline.ts';

export type LatencySummary = { count: number; p50: number; p90: number; p99: number; max: number } | null;
export interface Latency { all: Record<PhaseName, LatencySummary>; ok: Record<PhaseName, LatencySummary> }

const MAX_MS = 3_600_000;

function summarize(values: Uint32Array): LatencySummary {
  if (!values.length) return null;
  values.sort();
  return { count: values.length, p50: percentile(values, 50)!, p90: percentile(values, 90)!, p99: percentile(values, 99)!, max: values[values.length - 1]! };
}

export function latencyByPhase(h: History): Latency {
  const p = phases(h);
  const ops = h.ops;
  // Counted first, so each phase's values go straight into an array of their size.
  const phaseOf = new Uint8Array(ops.length);
  const allN = new Uint32Array(PHASES.length);
  const okN = new Uint32Array(PHASES.length);
  for (let i = 0; i < ops.length; i++) {
    const k = PHASES.indexOf(phaseAt(ops.due(i), p));
    phaseOf[i] = k;
    allN[k]!++;
    if (ops.isOk(i)) okN[k]!++;
  }
  const all = PHASES.map((_, k) => new Uint32Array(allN[k]!));
  const ok = PHASES.map((_, k) => new Uint32Array(okN[k]!));
  allN.fill(0);
  okN.fill(0);
  for (let i = 0; i < ops.length; i++) {
    const end = ops.isPending(i) ? h.endT : ops.end(i);
    const ms = Math.min(MAX_MS, Math.max(1, Math.round(end - ops.due(i))));
    const k = phaseOf[i]!;
    all[k]![allN[k]!++] = ms;
    if (ops.isOk(i)) ok[k]![okN[k]!++] = ms;
  }
  const out: Latency = { all: {} as Latency['all'], ok: {} as Latency['ok'] };
  PHASES.forEach((ph, k) => {
    out.all[ph] = summarize(all[k]!);
    out.ok[ph] = summarize(ok[k]!);
  });
  return out;
}
