// The acknowledged-write ledger judged. An acknowledged write missing from the final primary of a
// store it was written to, where that store could be read, is lost; a store that could not be read
// decides nothing (its writes are unknown, never "kept"). An indeterminate write found in any
// readable store it went to did commit; missing from all of them (all readable) it did not; else
// unknown. Lost writes are explained: which node acknowledged them, when, and which promotion
// made a node primary without them.
import type { LostSpan, WriteTally } from '../core/verdict.ts';
import type { History } from '../history/model.ts';
import type { Failover } from './failovers.ts';

/** Of the lost ids, the first few are kept as examples; the spans carry the rest. */
const EXAMPLES = 20;

export function tallyWrites(h: History, failovers: Record<string, Failover[]> = {}): WriteTally {
  const ops = h.ops;
  let acked = 0;
  let failed = 0;
  let indeterminate = 0;
  for (let i = 0; i < ops.length; i++) {
    if (ops.isOk(i)) acked++;
    else if (ops.outcome(i) === 'fail') failed++;
    else indeterminate++;
  }
  const bugs = { clientBugs: ops.clientBugs.length, clientBugExamples: ops.clientBugs.slice(0, EXAMPLES).map((b) => ({ id: b.id, client: b.client, error: b.error })) };
  const base = { attempted: ops.length, acked, failed, indeterminate, ...bugs };
  const none = { lost: null, lostByStore: {}, indeterminateCommitted: 0, indeterminateNotCommitted: 0, indeterminateUnknown: indeterminate, unreadable: [], lostWindowMs: null, lostSpans: [], lostExamples: [] };
  if (!h.ledger) return { ...base, ...none, unreadable: [{ store: '*', reason: 'no ledger: no workload ran, the run was interrupted, or it died before reading the final primaries' }] };

  const stores = Object.entries(h.ledger.stores);
  const unreadable = stores.filter(([, s]) => s.error !== undefined || s.primary === null).map(([store, s]) => ({ store, reason: s.error ?? 'no single primary to read from' }));
  // Missing ids as op indices, once: the walk below then needs no id string per op.
  const readable = new Map(stores.filter(([store]) => !unreadable.some((u) => u.store === store)).map(([store, s]) => {
    const idx = new Set<number>();
    for (const id of s.missing) {
      const i = ops.indexOf(id);
      if (i !== undefined) idx.add(i);
    }
    return [store, idx];
  }));
  // Per store the op table knows: its bit, and its missing set when it could be read.
  const names = ops.stores.list.map((s) => ({ s, mask: ops.storeMask(s), missing: readable.get(s) }));
  const readableMask = names.reduce((m, x) => (x.missing ? m | x.mask : m), 0);
  const lostByStore: Record<string, number> = Object.fromEntries([...readable.keys()].map((s) => [s, 0]));
  const spans = new Map<string, LostSpan>();
  const lostIds: string[] = [];
  let lost = 0;
  let committed = 0;
  let notCommitted = 0;
  let minT = Infinity;
  let maxT = -Infinity;
  for (let i = 0; i < ops.length; i++) {
    const ok = ops.isOk(i);
    const outcome = ops.outcome(i);
    if (!ok && outcome !== 'indeterminate' && outcome !== 'pending') continue;
    if (ok) {
      let isLost = false;
      const bits = ops.storeBitsOf(i);
      for (const { s, mask, missing } of names) {
        if (!(bits & mask) || !missing?.has(i)) continue;
        isLost = true;
        lostByStore[s]!++;
        const node = ops.node(i, s) ?? '(unnamed)';
        const key = `${s}\u0000${node}`;
        const t = ops.end(i);
        const span = spans.get(key) ?? { store: s, node, count: 0, fromT: t, toT: t, droppedBy: null };
        span.count++;
        span.fromT = Math.min(span.fromT, t);
        span.toT = Math.max(span.toT, t);
        spans.set(key, span);
      }
      if (isLost) {
        lost++;
        if (lostIds.length < EXAMPLES) lostIds.push(ops.id(i));
        minT = Math.min(minT, ops.end(i));
        maxT = Math.max(maxT, ops.end(i));
      }
    } else {
      // Found in a readable store it went to: committed; missing from all of them, all readable: not.
      const written = ops.storeBitsOf(i);
      if (names.some(({ mask, missing }) => written & mask && missing && !missing.has(i))) committed++;
      else if (written && (written & readableMask) === written) notCommitted++;
    }
  }
  // The promotion that dropped a span: the first node other than the one that acknowledged them
  // to become the store's primary after their first acknowledgement.
  for (const span of spans.values()) {
    const f = (failovers[span.store] ?? []).find((x) => x.t >= span.fromT && x.to !== span.node);
    if (f) span.droppedBy = { node: f.to, t: f.t };
  }
  const anyUnreadableWritten = unreadable.length > 0;
  return {
    ...base,
    lost: anyUnreadableWritten && lost === 0 ? null : lost,
    lostByStore,
    indeterminateCommitted: committed,
    indeterminateNotCommitted: notCommitted,
    indeterminateUnknown: indeterminate - committed - notCommitted,
    unreadable,
    lostWindowMs: lost ? Math.round(maxT - minT) : null,
    lostSpans: [...spans.values()],
    lostExamples: lostIds,
  };
}
