// Every check over one history, and the declared SLOs judged against them: observed vs limit,
// pass / fail / unknown. Unknown whenever the history lacks the evidence (no workload, a store
// nobody could observe or read), never a pass by default; and every declared SLO is in the list.
import type { FailoverPhases, Judgement, SloVerdict, Verdict } from '../core/verdict.ts';
import type { Judging, Slos } from '../config/slo.ts';
import type { Target } from '../config/target.ts';
import type { History, StoreInfo } from '../history/model.ts';
import { clientWindows, errorRates, systemWindows, totalMs, type Window } from './availability.ts';
import { failoverPhases, hitsOf, noFailover, noPhases } from './failover.ts';
import { DEFAULT_SETTLE_MS, failovers, type Failover } from './failovers.ts';
import { latencyByPhase } from './latency.ts';
import { splitBrain, type SplitBrain } from './split-brain.ts';
import { bandLimit, errorRateBetween, hasRoleEvidence, noRoleEvidence, phases } from './timeline.ts';
import { tallyWrites } from './writes.ts';

export interface JudgeInput { stores: Record<string, StoreInfo>; slos: Slos; judging?: Partial<Judging> }

/** What the checks need to know of a target's stores: members, their kind, Sentinel's master name, consensus. */
export function storesOf(t: Target): Record<string, StoreInfo> {
  return Object.fromEntries(Object.entries(t.stores).map(([name, s]) => {
    const x = s as { masterName?: unknown; consensus?: unknown };
    return [name, {
      members: s.members, kind: t.nodes[s.members[0]!]?.kind ?? '',
      ...(typeof x.masterName === 'string' ? { masterName: x.masterName } : {}),
      ...(Array.isArray(x.consensus) ? { consensus: x.consensus as string[] } : {}),
    }];
  }));
}

const perStore = <T>(v: T | Record<string, T> | undefined, stores: string[]): [string, T][] =>
  v === undefined ? [] : typeof v === 'object' && v !== null ? Object.entries(v as Record<string, T>) : stores.map((s) => [s, v as T]);

const slo = (name: string, observed: number | boolean | null, limit: SloVerdict['limit'], unit: SloVerdict['unit'], evidence: string, verdict?: Verdict): SloVerdict =>
  ({ name, observed, limit, unit, evidence, verdict: verdict ?? (observed === null ? 'unknown' : typeof observed === 'number' && observed <= (limit as number) ? 'pass' : 'fail') });

/** A store's failovers, and any fault that hit its primary without one following. */
function storeFailovers(h: History, name: string, store: StoreInfo, changes: Failover[]): FailoverPhases[] {
  const out = changes.map((f) => failoverPhases(h, name, store, f));
  for (const hit of hitsOf(h, store)) {
    // A later failover away from the node the fault hit answers it.
    const answered = changes.some((f) => f.from === hit.primary && f.t >= hit.fault.start);
    if (!answered) out.push(noFailover(h, name, store, hit.fault, hit.primary));
  }
  return out.sort((a, b) => (a.originT ?? 0) - (b.originT ?? 0));
}

function failoverSlo(name: string, store: string, limit: number, records: FailoverPhases[], hasOps: boolean, evidence: boolean, why: string): SloVerdict {
  if (!evidence) return slo(name, null, limit, 'ms', why);
  const missed = records.find((f) => f.newPrimary === null);
  const describe = (f: FailoverPhases) => `${f.oldPrimary ?? '?'} -> ${f.newPrimary ?? 'none'}: ${f.evidence.join('; ')}`;
  if (missed) return slo(name, null, limit, 'ms', `${store} did not fail over: ${describe(missed)}`, 'fail');
  if (!records.length) return slo(name, null, limit, 'ms', `${store} did not fail over, and no fault hit its primary`, 'unknown');
  const stuck = hasOps ? records.find((f) => f.recoveredMs === null) : undefined;
  if (stuck) return slo(name, null, limit, 'ms', `${store} promoted ${stuck.newPrimary}, but not every client wrote again: ${describe(stuck)}`, 'fail');
  const worst = Math.max(...records.map((f) => (hasOps ? f.recoveredMs! : f.promotedMs!)));
  return slo(name, worst, limit, 'ms', `${records.length} failover(s)${hasOps ? '' : ' (no workload: measured to promotion)'}: ${records.map(describe).join(' | ')}`);
}

export function judge(h: History, input: JudgeInput): Judgement {
  const names = Object.keys(input.stores);
  const settle = input.judging?.settleAfterHeal ?? DEFAULT_SETTLE_MS;
  const p = phases(h);
  const rel = (t: number) => Math.round(t - (p.faultT ?? 0));
  /** "+N" or "-N" ms from the first fault. */
  const at = (t: number) => `${rel(t) < 0 ? '' : '+'}${rel(t)}`;
  const relW = (w: Window) => ({ start: rel(w.start), end: rel(w.end) });
  const evidenceOf = Object.fromEntries(names.map((s) => [s, hasRoleEvidence(h, input.stores[s]!)]));
  const changes = Object.fromEntries(names.map((s) => [s, failovers(h, input.stores[s]!, settle)]));
  const records = Object.fromEntries(names.map((s) => [s, storeFailovers(h, s, input.stores[s]!, changes[s]!)]));
  const writes = tallyWrites(h, changes);
  const brains: Record<string, SplitBrain> = Object.fromEntries(names.map((s) => [s, splitBrain(h, s, input.stores[s]!)]));
  const perClient = clientWindows(h);
  const system = systemWindows(perClient);
  const rates = errorRates(h);
  const latency = latencyByPhase(h);
  const hasOps = h.ops.length > 0;
  const storeHasOps = (s: string) => {
    const mask = h.ops.storeMask(s);
    for (let i = 0; i < h.ops.length && mask; i++) if (h.ops.storeBitsOf(i) & mask) return true;
    return false;
  };
  const touchedAny = (s: string) => { const st = input.stores[s]!; return h.faults.some((f) => f.nodes.some((n) => st.members.includes(n) || (st.consensus ?? []).includes(n))); };

  const slos: SloVerdict[] = [];
  const s = input.slos;

  if (s.maxFailoverTime !== undefined && typeof s.maxFailoverTime === 'object') {
    for (const [store, limit] of Object.entries(s.maxFailoverTime)) {
      const name = `maxFailoverTime[${store}]`;
      if (!input.stores[store]) slos.push(slo(name, null, limit, 'ms', `no store "${store}"`));
      else slos.push(failoverSlo(name, store, limit, records[store]!, storeHasOps(store), evidenceOf[store]!, noRoleEvidence(h, store, input.stores[store]!)));
    }
  } else if (s.maxFailoverTime !== undefined) {
    const limit = s.maxFailoverTime;
    // One limit: every store a fault hit or that failed over; a store nobody could observe, if a fault touched it.
    const judged = names.filter((x) => (evidenceOf[x] ? records[x]!.length > 0 : touchedAny(x)));
    for (const store of judged) slos.push(failoverSlo(`maxFailoverTime[${store}]`, store, limit, records[store]!, storeHasOps(store), evidenceOf[store]!, noRoleEvidence(h, store, input.stores[store]!)));
    if (!judged.length) {
      const blind = names.filter((x) => !evidenceOf[x]);
      slos.push(blind.length || !names.length
        ? slo('maxFailoverTime', null, limit, 'ms', names.length ? blind.map((x) => noRoleEvidence(h, x, input.stores[x]!)).join('; ') : 'the target declares no stores')
        : slo('maxFailoverTime', null, limit, 'ms', `no fault hit a store's primary and no store failed over (observed: ${names.join(', ')})`, 'pass'));
    }
  }

  if (s.maxUnavailableTime !== undefined) {
    const { limit, perClient: byClient } = typeof s.maxUnavailableTime === 'number' ? { limit: s.maxUnavailableTime, perClient: false } : s.maxUnavailableTime;
    const fmt = (ws: Window[]) => ws.map((w) => `+${rel(w.start)}..+${rel(w.end)} ms`).join(', ') || 'none';
    if (!hasOps) slos.push(slo('maxUnavailableTime', null, limit, 'ms', 'no workload ran'));
    else if (!byClient) {
      const each = Object.entries(perClient).map(([c, ws]) => `${c} ${Math.round(totalMs(ws))} ms`).join(', ');
      slos.push(slo('maxUnavailableTime', Math.round(totalMs(system)), limit, 'ms', `no client succeeded in ${system.length} window(s): ${fmt(system)}; per client: ${each}`));
    } else {
      const [worst, ws] = Object.entries(perClient).sort((a, b) => totalMs(b[1]) - totalMs(a[1]))[0]!;
      slos.push(slo('maxUnavailableTime[perClient]', Math.round(totalMs(ws)), limit, 'ms', `worst client ${worst}: ${fmt(ws)}`));
    }
  }

  if (s.maxLostAckedWrites !== undefined) {
    const limit = s.maxLostAckedWrites;
    const lostHere = Object.values(writes.lostByStore).reduce((n, x) => n + x, 0);
    const spans = writes.lostSpans.map((x) => `${x.count} acknowledged by ${x.node} (${x.store}) ${at(x.fromT)}..${at(x.toT)} ms${x.droppedBy ? `, dropped when ${x.droppedBy.node} was promoted at ${at(x.droppedBy.t)} ms` : ''}`).join('; ');
    const unreadable = writes.unreadable.map((u) => `${u.store}: ${u.reason}`).join('; ');
    if (!h.ledger) slos.push(slo('maxLostAckedWrites', null, limit, 'writes', unreadable));
    else if (writes.unreadable.length && lostHere <= limit) slos.push(slo('maxLostAckedWrites', null, limit, 'writes', `not readable: ${unreadable}; ${lostHere} lost in the stores that could be read${spans ? ` (${spans})` : ''}`));
    else slos.push(slo('maxLostAckedWrites', lostHere, limit, 'writes', `${lostHere} of ${writes.acked} acknowledged writes missing from the final primaries${spans ? `: ${spans}` : ''}${unreadable ? `; not readable: ${unreadable}` : ''}`));
  }

  if (s.maxErrorRate !== undefined) {
    slos.push(slo('maxErrorRate', rates.during === null ? null : Math.round(rates.during * 10_000) / 10_000, s.maxErrorRate, 'ratio',
      rates.during === null ? 'no writes were scheduled during the faults' : `${(rates.during * 100).toFixed(1)}% of writes due during the faults failed or are indeterminate (before: ${rates.before === null ? '-' : `${(rates.before * 100).toFixed(1)}%`})`));
  }

  // After recovery the error rate is judged by default: against the pre-fault band unless loosened.
  const after = s.maxErrorRateAfter ?? (hasOps ? 'baseline' : undefined);
  if (after !== undefined) {
    const base = p.faultT === null ? null : errorRateBetween(h.ops, -Infinity, p.faultT);
    // After: due strictly later than the restore (journal times have 0.1 ms steps).
    const post = p.restoredT === null ? null : errorRateBetween(h.ops, p.restoredT + 0.001, Infinity);
    const observed = post?.rate === null || post === null ? null : Math.round(post.rate * 10_000) / 10_000;
    if (observed === null) slos.push(slo('maxErrorRateAfter', null, after, 'ratio', p.restoredT === null ? (p.faultT === null ? 'no fault was injected' : 'the steady state was not restored') : 'no writes were due after the steady state was restored'));
    else if (after === 'baseline') {
      if (!base || base.n < 10) slos.push(slo('maxErrorRateAfter', null, after, 'ratio', `no baseline: ${base?.n ?? 0} write(s) before the first fault`));
      else {
        const allowed = bandLimit(post!.n, base.rate!);
        slos.push(slo('maxErrorRateAfter', observed, after, 'ratio', `${post!.errors} of ${post!.n} writes after recovery failed, within the band of the pre-fault ${(base.rate! * 100).toFixed(1)}% if at most ${allowed.toFixed(1)}`, post!.errors <= allowed ? 'pass' : 'fail'));
      }
    } else slos.push(slo('maxErrorRateAfter', observed, after, 'ratio', `${post!.errors} of ${post!.n} writes due after recovery failed or are indeterminate`));
  }

  if (s.maxP99DuringFault !== undefined) {
    const all = latency.all.during;
    const ok = latency.ok.during;
    slos.push(slo('maxP99DuringFault', all?.p99 ?? null, s.maxP99DuringFault, 'ms',
      all ? `p99 ${all.p99} ms over all ${all.count} writes due during the faults (failures at their time to failure); successful only: ${ok ? `p99 ${ok.p99} ms over ${ok.count}` : 'none succeeded'}` : 'no writes were due during the faults'));
  }

  const proven = Object.values(brains).reduce((n, b) => n + (b.ms ?? 0), 0);
  const blindBrain = Object.entries(brains).filter(([, b]) => b.ms === null);
  const splitBrainMs = proven > 0 || !blindBrain.length ? proven : null;
  if (s.noSplitBrain) {
    const detail = Object.entries(brains).map(([st, b]) => `${st}: ${b.evidence}${b.writesToSuperseded ? `; ${b.writesToSuperseded} write(s) acknowledged by a superseded primary` : ''}`).join('; ');
    slos.push(slo('noSplitBrain', splitBrainMs, 0, 'ms', detail || 'the target declares no stores', splitBrainMs === null ? 'unknown' : splitBrainMs === 0 ? 'pass' : 'fail'));
  }
  const dualPrimaryClaimMs = Object.values(brains).reduce((n, b) => n + b.claimMs, 0);
  if (s.maxDualPrimaryClaim !== undefined) {
    const blind = names.filter((x) => !evidenceOf[x]);
    slos.push(slo('maxDualPrimaryClaim', blind.length ? null : dualPrimaryClaimMs, s.maxDualPrimaryClaim, 'ms',
      blind.length ? blind.map((x) => noRoleEvidence(h, x, input.stores[x]!)).join('; ') : Object.entries(brains).map(([st, b]) => `${st}: ${b.claimMs} ms with two members saying primary`).join('; ')));
  }

  for (const [store, limit] of perStore(s.maxFailovers, names)) {
    const name = `maxFailovers[${store}]`;
    const c = changes[store];
    if (!c) slos.push(slo(name, null, limit, 'count', `no store "${store}"`));
    else if (!evidenceOf[store]) slos.push(slo(name, null, limit, 'count', noRoleEvidence(h, store, input.stores[store]!)));
    else slos.push(slo(name, c.length, limit, 'count', c.map((f) => `+${rel(f.t)} ms ${f.from} -> ${f.to}${f.necessary ? ` (${f.cause!.id})` : ' (no fault on the old primary was active or settling)'}`).join('; ') || 'no primary change'));
  }

  const verdict: Verdict = slos.some((x) => x.verdict === 'fail') ? 'fail' : slos.some((x) => x.verdict === 'unknown') ? 'unknown' : 'pass';
  const blank = (st: string) => noPhases(st, [evidenceOf[st] ? 'no fault hit its primary and it did not fail over' : noRoleEvidence(h, st, input.stores[st]!)]);
  return {
    verdict, slos,
    failover: Object.fromEntries(names.map((st) => [st, records[st]![0] ?? blank(st)])),
    failovers: records,
    writes,
    splitBrainMs, dualPrimaryClaimMs,
    unavailable: system.map(relW),
    unavailableByClient: Object.fromEntries(Object.entries(perClient).map(([c, ws]) => [c, ws.map(relW)])),
    errorRate: rates,
    latency,
    unnecessaryFailovers: Object.values(changes).flat().filter((f) => !f.necessary).length,
    faultT: p.faultT,
    restoredT: p.restoredT,
  };
}
