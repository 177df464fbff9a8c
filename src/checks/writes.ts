// The acknowledged-write ledger judged: an acknowledged write missing from a store's final primary
// is lost; an indeterminate one either committed (found) or did not. Loss is counted in writes and
// in milliseconds (the span of acknowledgement times the lost writes cover).
import type { WriteTally } from '../core/verdict.ts';
import type { History } from '../history/model.ts';

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
  // Missing from any store that could be read counts; a store that could not be read decides nothing.
  const missing = (e: { found: { postgres: boolean | null; redis: boolean | null } }) => e.found.postgres === false || e.found.redis === false;
  const lost = h.ledger.entries.filter((e) => e.acked && missing(e));
  const indet = h.ledger.entries.filter((e) => !e.acked);
  const committed = indet.filter((e) => e.found.postgres === true);
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
