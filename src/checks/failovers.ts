// Primary changes per store, and what caused each: the latest fault on the old primary (the node,
// or a link or partition touching it) that was active at the promotion, or healed no longer than
// the settle window before it. A promotion with no such fault is unnecessary (flapping, or a fault
// elsewhere that should not have mattered), even if that node was faulted a minute earlier.
import type { FaultSpan, History } from '../history/model.ts';
import { roleIntervals, roleSource, type StoreInfo } from './timeline.ts';

export interface Failover { t: number; from: string; to: string; cause: FaultSpan | null; necessary: boolean }

export const DEFAULT_SETTLE_MS = 10_000;

/** The fault that explains `node` losing its primacy at t, if any. */
export function causeOf(h: History, node: string, t: number, settleMs: number): FaultSpan | null {
  let best: FaultSpan | null = null;
  for (const f of h.faults) {
    if (f.start > t || !f.nodes.includes(node)) continue;
    const live = f.end === null || t <= f.end + settleMs;
    if (live && (!best || f.start > best.start)) best = f;
  }
  return best;
}

export function failovers(h: History, store: StoreInfo, settleMs = DEFAULT_SETTLE_MS): Failover[] {
  const source = roleSource(store);
  if (!source) return [];
  // Walk the members' claims in time order. A failover is the single claimant becoming another
  // node; a moment with two (an old primary restarted as one) is split brain's business.
  // An interval still open ends with the evidence; that end is no demotion, so it makes no edge
  // (several closing at once would otherwise fake a change of primary at the very end).
  const edges = store.members.flatMap((m) => roleIntervals(h, m, source, 'claims').flatMap((iv) => [{ t: iv.start, node: m, on: true }, ...(iv.open ? [] : [{ t: iv.end, node: m, on: false }])]))
    .sort((a, b) => a.t - b.t || Number(a.on) - Number(b.on));
  const now = new Set<string>();
  // When each current claimant began claiming: a failover happens when the new primary takes the
  // role, not when the old one stops claiming it. A cut-off old master goes on saying master
  // until the Sentinels demote it after the heal, so dating the failover by that would put it
  // past the settle window and blame no fault.
  const since = new Map<string, number>();
  const out: Failover[] = [];
  let single: string | null = null;
  for (const e of edges) {
    if (e.on) {
      now.add(e.node);
      since.set(e.node, e.t);
    } else now.delete(e.node);
    if (now.size !== 1) continue;
    const [p] = [...now] as [string];
    if (single !== null && p !== single) {
      const t = since.get(p)!;
      const cause = causeOf(h, single, t, settleMs);
      out.push({ t, from: single, to: p, cause, necessary: cause !== null });
    }
    single = p;
  }
  return out;
}
