// The acknowledged-write ledger judged: an acknowledged write missing from a store's final primary
// is lost; an indeterminate one either committed (found) or did not. Loss is counted in writes and
// in milliseconds (the span of acknowledgement times the lost writes cover).
import type { WriteTally } from '../core/verdict.ts';
import type { History, LedgerEntry } from '../history/model.ts';

export interface WriteCheck extends WriteTally { lostIds: string[]; unknownStores: string[] }

export function tallyWrites(h: History): WriteCheck {
  const ops = h.ops;
  const base = {
    attempted: ops.length,
    acked: ops.filter((o) => o.outcome === 'ok').length,
    failed: ops.filter((o) => o.outcome === 'fail').length,
    indeterminate: ops.filter((o) => o.outcome === 'indeterminate' || o.outcome === 'pending').length,
  };
  if (!h.ledger) return { ...base, lost: 0, indeterminateCommitted: 0, indeterminateNotCommitted: 0, lostWindowMs: null, lostIds: [], unknownStores: ['postgres', 'redis'] };
  const unknownStores = (['postgres', 'redis'] as const).filter((s) => h.ledger!.entries.some((e) => e.found[s] === null));
  // Missing from a store it was written to and that could be read counts; a store that could not
  // be read decides nothing.
  const storesOf = new Map(ops.map((o) => [o.id, o.stores ?? ['postgres', 'redis']]));
  const written = (e: LedgerEntry) => (storesOf.get(e.id) ?? ['postgres', 'redis']) as ('postgres' | 'redis')[];
  const missing = (e: LedgerEntry) => written(e).some((s) => e.found[s] === false);
  const lost = h.ledger.entries.filter((e) => e.acked && missing(e));
  const indet = h.ledger.entries.filter((e) => !e.acked);
  // Committed: found in the store that commits first (Postgres for an app write).
  const committed = indet.filter((e) => e.found[written(e)[0]!] === true);
  const endOf = new Map(ops.map((o) => [o.id, o.endT ?? o.sentT]));
  const times = lost.map((e) => endOf.get(e.id)!).filter((t) => t !== undefined);
  return {
    ...base,
    lost: lost.length,
    indeterminateCommitted: committed.length,
    indeterminateNotCommitted: indet.length - committed.length,
    lostWindowMs: times.length ? Math.round(Math.max(...times) - Math.min(...times)) : lost.length ? 0 : null,
    lostIds: lost.map((e) => e.id),
    unknownStores,
  };
}
