// Every check over one history, and the declared SLOs judged against them: observed vs limit,
// pass / fail / unknown (unknown when the history cannot tell, e.g. no workload ran).
import type { Judgement, SloVerdict, Verdict } from '../core/verdict.ts';
import type { Slos } from '../config/slo.ts';
import type { Target } from '../config/target.ts';
import type { History } from '../history/model.ts';
import { errorRates, totalMs, unavailableWindows } from './availability.ts';
import { failoverPhases } from './failover.ts';
import { failovers } from './failovers.ts';
import { latencyByPhase } from './latency.ts';
import { splitBrain } from './split-brain.ts';
import { phases, type StoreInfo } from './timeline.ts';
import { tallyWrites } from './writes.ts';

export interface JudgeInput { stores: Record<string, StoreInfo & { masterName?: string }>; slos: Slos }

/** What the checks need to know of a target's stores: members, their kind, Sentinel's master name. */
export function storesOf(t: Target): JudgeInput['stores'] {
  return Object.fromEntries(Object.entries(t.stores).map(([name, s]) => {
    const masterName = (s as { masterName?: string }).masterName;
    return [name, { members: s.members, kind: t.nodes[s.members[0]!]?.kind ?? '', ...(masterName ? { masterName } : {}) }];
  }));
}

const perStore = <T>(v: T | Record<string, T> | undefined, stores: string[]): [string, T][] =>
  v === undefined ? [] : typeof v === 'object' && v !== null ? Object.entries(v as Record<string, T>) : stores.map((s) => [s, v as T]);

const slo = (name: string, observed: number | boolean | null, limit: number | boolean, unit: SloVerdict['unit'], evidence: string, ok?: boolean): SloVerdict =>
  ({ name, observed, limit, unit, evidence, verdict: observed === null ? 'unknown' : (ok ?? (typeof observed === 'number' && observed <= (limit as number))) ? 'pass' : 'fail' });

export function judge(h: History, input: JudgeInput): Judgement {
  const storeNames = Object.keys(input.stores);
  const p = phases(h);
  const failover = Object.fromEntries(storeNames.map((s) => [s, failoverPhases(h, s, input.stores[s]!, input.stores[s]!.masterName)]));
  const writes = tallyWrites(h);
  const brains = Object.fromEntries(storeNames.map((s) => [s, splitBrain(h, input.stores[s]!)]));
  const changes = Object.fromEntries(storeNames.map((s) => [s, failovers(h, input.stores[s]!)]));
  const unavailable = unavailableWindows(h);
  const rates = errorRates(h);
  const latency = latencyByPhase(h);
  const hasOps = h.ops.length > 0;
  const rel = (t: number) => Math.round(t - (p.faultT ?? 0));

  const slos: SloVerdict[] = [];
  const s = input.slos;
  // A single limit applies to every store a fault hit the primary of, and to any that failed over.
  const hit = storeNames.filter((x) => {
    const old = failover[x]!.oldPrimary;
    return (old !== null && h.faults.some((f) => f.nodes.includes(old))) || failover[x]!.promotedMs !== null;
  });
  for (const [store, limit] of perStore(s.maxFailoverTime, hit)) {
    const f = failover[store];
    const name = `maxFailoverTime[${store}]`;
    if (!f) slos.push(slo(name, null, limit, 'ms', `no store "${store}"`));
    else if (f.promotedMs === null) slos.push({ ...slo(name, null, limit, 'ms', `${store} did not fail over: ${f.evidence.join('; ')}`), verdict: 'fail' });
    else if (f.recoveredMs === null && hasOps) slos.push({ ...slo(name, null, limit, 'ms', `${store} promoted ${f.newPrimary}, but not every client wrote again: ${f.evidence.join('; ')}`), verdict: 'fail' });
    // Without a workload, failover time is fault to promotion.
    else slos.push(slo(name, f.recoveredMs ?? f.promotedMs, limit, 'ms', `${hasOps ? '' : 'no workload: measured to promotion; '}${f.evidence.join('; ')}`));
  }
  if (s.maxUnavailableTime !== undefined) {
    slos.push(slo('maxUnavailableTime', hasOps ? Math.round(totalMs(unavailable)) : null, s.maxUnavailableTime, 'ms',
      hasOps ? `${unavailable.length} window(s): ${unavailable.map((w) => `+${rel(w.start)}..+${rel(w.end)} ms`).join(', ') || 'none'}` : 'no workload ran'));
  }
  if (s.maxLostAckedWrites !== undefined) {
    const known = h.ledger !== null && writes.unknownStores.length < 2;
    slos.push(slo('maxLostAckedWrites', known ? writes.lost : null, s.maxLostAckedWrites, 'writes',
      !h.ledger ? 'no ledger: no workload ran, or the final primaries could not be read' : `${writes.lost} of ${writes.acked} acknowledged writes missing from the final primaries${writes.lostIds.length ? ` (e.g. ${writes.lostIds.slice(0, 3).join(', ')})` : ''}${writes.unknownStores.length ? `; not readable: ${writes.unknownStores.join(', ')}` : ''}`));
  }
  if (s.maxErrorRate !== undefined) {
    slos.push(slo('maxErrorRate', rates.during === null ? null : Math.round(rates.during * 10_000) / 10_000, s.maxErrorRate, 'ratio',
      rates.during === null ? 'no writes were scheduled during the faults' : `${(rates.during * 100).toFixed(1)}% of writes during the faults failed or are indeterminate (before: ${rates.before === null ? '-' : `${(rates.before * 100).toFixed(1)}%`})`));
  }
  if (s.maxP99DuringFault !== undefined) {
    slos.push(slo('maxP99DuringFault', latency.during?.p99 ?? null, s.maxP99DuringFault, 'ms',
      latency.during ? `p99 ${latency.during.p99} ms over ${latency.during.count} successful writes during the faults (p50 ${latency.during.p50} ms)` : 'no write succeeded during the faults'));
  }
  const splitBrainMs = Object.values(brains).reduce((n, b) => n + b.ms, 0);
  if (s.noSplitBrain) {
    const detail = Object.entries(brains).filter(([, b]) => b.windows.length).map(([st, b]) => `${st}: ${b.windows.map((w) => `${w.nodes.join('+')} +${rel(w.start)}..+${rel(w.end)} ms`).join(', ')}${b.writesToDemoted ? `, ${b.writesToDemoted} write(s) acknowledged by the superseded primary` : ''}`);
    slos.push(slo('noSplitBrain', splitBrainMs, 0, 'ms', detail.join('; ') || 'never two writable primaries in one store', splitBrainMs === 0));
  }
  for (const [store, limit] of perStore(s.maxFailovers, storeNames)) {
    const c = changes[store];
    slos.push(slo(`maxFailovers[${store}]`, c ? c.length : null, limit, 'count',
      c ? c.map((f) => `+${rel(f.t)} ms ${f.from} -> ${f.to}${f.necessary ? '' : ' (no fault touched the old primary)'}`).join('; ') || 'no primary change' : `no store "${store}"`));
  }

  const verdict: Verdict = slos.some((x) => x.verdict === 'fail') ? 'fail' : slos.some((x) => x.verdict === 'unknown') ? 'unknown' : 'pass';
  return {
    verdict, slos, failover,
    writes: { attempted: writes.attempted, acked: writes.acked, failed: writes.failed, indeterminate: writes.indeterminate, lost: writes.lost, indeterminateCommitted: writes.indeterminateCommitted, indeterminateNotCommitted: writes.indeterminateNotCommitted, lostWindowMs: writes.lostWindowMs },
    splitBrainMs,
    unavailable: unavailable.map((w) => ({ start: rel(w.start), end: rel(w.end) })),
    errorRate: rates,
    latency,
    unnecessaryFailovers: Object.values(changes).flat().filter((f) => !f.necessary).length,
    faultT: p.faultT,
  };
}
