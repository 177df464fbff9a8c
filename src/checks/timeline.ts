// Reading a history as timelines: what each observer said about each node at any time, who held a
// store's primacy when, and the phases of a run (before the first fault, during faults, recovery
// from the last heal until the steady state is back, after).
import type { PhaseName } from '../core/verdict.ts';
import type { History, Observation, OpTable, StoreInfo } from '../history/model.ts';

export { PHASES, type PhaseName } from '../core/verdict.ts';

export type { StoreInfo } from '../history/model.ts';

/**
 * Journals without a store kind: the source by the members' node kind, the node's own answer
 * (Patroni's view, from its etcd key, lags a dead member by its ttl).
 */
const ROLE_SOURCE: Record<string, Observation['source']> = { postgres: 'pg-recovery', redis: 'redis-role' };

export const DOWN = 'down';

/** Observations of one node from one source, in time order. */
export function series(h: History, node: string, source: Observation['source']): Observation[] {
  return h.observations.filter((o) => o.node === node && o.source === source).sort((a, b) => a.t - b.t);
}

/** What a source said about a node at time t (its last change at or before t). */
export function valueAt(obs: Observation[], t: number): string | undefined {
  let v: string | undefined;
  for (const o of obs) {
    if (o.t > t) break;
    v = o.value;
  }
  return v;
}

/** `open`: still held when the evidence ends (end = the history's endT). */
export interface Interval { start: number; end: number; epoch?: number; open?: boolean }

/**
 * Intervals in which a node held the primary role by `source`, [start, end), open ones ending at the
 * last evidence. `claims`: only while it said so ("down" ends a claim: it says nothing). `primacy`:
 * from a promotion to a demotion; the observer losing contact ("down") does not end it, since a
 * paused or partitioned primary that comes back is still the same, older primary.
 */
export function roleIntervals(h: History, node: string, source: Observation['source'], mode: 'claims' | 'primacy'): Interval[] {
  const out: Interval[] = [];
  let open: Interval | undefined;
  const epochs = series(h, node, 'patroni').filter((o) => o.epoch !== undefined);
  for (const o of series(h, node, source)) {
    if (o.value === 'primary') {
      if (!open) {
        const epoch = valueEpoch(epochs, o.t);
        open = { start: o.t, end: h.endT, open: true, ...(epoch !== undefined ? { epoch } : {}) };
      }
    } else if (open && (mode === 'claims' || o.value !== DOWN)) {
      out.push({ ...open, end: o.t, open: false });
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out;
}

/** Patroni's timeline for a primary: the first epoch it reported within a second of the claim. */
function valueEpoch(epochs: Observation[], t: number): number | undefined {
  return epochs.find((o) => o.t >= t - 1000)?.epoch;
}

/** The source that says whether a member takes writes (the node's own answer), as its store kind journaled it; or undefined. */
export const roleSource = (store: StoreInfo): Observation['source'] | undefined => (store.storeKind !== undefined ? store.roleSource : ROLE_SOURCE[store.kind]);

/** Did any member of the store ever answer its role source with something other than "down"? */
export function hasRoleEvidence(h: History, store: StoreInfo): boolean {
  const source = roleSource(store);
  return source !== undefined && h.observations.some((o) => o.source === source && store.members.includes(o.node) && o.value !== DOWN);
}

/** Why a store has no role evidence, for an SLO's evidence line. */
export function noRoleEvidence(h: History, name: string, store: StoreInfo): string {
  const source = roleSource(store);
  if (!source) return `${name} is of kind "${store.storeKind ?? store.kind}", whose role no observer can read`;
  const skipped = h.unobserved.filter((u) => store.members.includes(u.node));
  if (skipped.length) return `no usable role observation of ${name}: ${skipped.map((u) => `${u.node} ${u.source} not watched (${u.reason})`).join('; ')}`;
  const seen = h.observations.filter((o) => o.source === source && store.members.includes(o.node));
  return seen.length ? `no usable role observation of ${name}: every ${source} answer was "down"` : `no role observation of ${name} (observers off?)`;
}

/** The member that alone claims primary at t, or null (none, or two). */
export function primaryAt(h: History, store: StoreInfo, t: number): string | null {
  const source = roleSource(store);
  if (!source) return null;
  const found = store.members.filter((m) => valueAt(series(h, m, source), t) === 'primary');
  return found.length === 1 ? found[0]! : null;
}

export interface Phases { faultT: number | null; healT: number | null; restoredT: number | null }

/** The first injection, the last heal (open faults end with the evidence), and when the steady state was back. */
export function phases(h: History): Phases {
  if (!h.faults.length) return { faultT: null, healT: null, restoredT: null };
  let faultT = Infinity;
  let healT = -Infinity;
  for (const f of h.faults) {
    faultT = Math.min(faultT, f.start);
    healT = Math.max(healT, f.end ?? h.endT);
  }
  // Without `after` probes the steady state is taken as back at the heal; with them, when they passed.
  const hasAfter = h.run.probes.some((p) => p.phase === 'after');
  const restoredT = !hasAfter ? healT : h.run.restoredT === null ? null : Math.max(healT, h.run.restoredT);
  return { faultT, healT, restoredT };
}

export function phaseAt(t: number, p: Phases): PhaseName {
  if (p.faultT === null || t < p.faultT) return 'before';
  if (t <= p.healT!) return 'during';
  return p.restoredT === null || t <= p.restoredT ? 'recovery' : 'after';
}

const finished = new WeakMap<OpTable, { length: number; byStore: Map<string | undefined, Uint32Array> }>();

/**
 * The indices, in due order, of the finished ops (not pending) that wrote to `store` (any store
 * when undefined). Found once per table and store (again if the table has grown since): several
 * checks walk them, and a plain loop over an index array is several times faster on a million
 * ops than a callback per op.
 */
export function finishedOf(ops: OpTable, store?: string): Uint32Array {
  let seen = finished.get(ops);
  if (seen?.length !== ops.length) finished.set(ops, (seen = { length: ops.length, byStore: new Map() }));
  const hit = seen.byStore.get(store);
  if (hit) return hit;
  const mask = store === undefined ? -1 : ops.storeMask(store);
  const idx = new Uint32Array(mask === 0 ? 0 : ops.length);
  let n = 0;
  if (mask !== 0) for (let i = 0; i < ops.length; i++) if (!ops.isPending(i) && (mask === -1 || (ops.storeBitsOf(i) & mask) !== 0)) idx[n++] = i;
  const out = idx.slice(0, n);
  seen.byStore.set(store, out);
  return out;
}

/** Errors over attempts in [from, to) by due time; null when no write was due then. */
export function errorRateBetween(ops: OpTable, from: number, to: number, store?: string): { rate: number | null; n: number; errors: number } {
  let n = 0;
  let errors = 0;
  for (const i of finishedOf(ops, store)) {
    const t = ops.due(i);
    if (t < from || t >= to) continue;
    n++;
    if (!ops.isOk(i)) errors++;
  }
  return { rate: n ? errors / n : null, n, errors };
}

/**
 * How many errors a bucket of n writes may have and still be at a baseline error rate b: the
 * binomial mean plus three standard deviations, plus one, so one straggler is not a regression.
 */
export const bandLimit = (n: number, b: number): number => n * b + 3 * Math.sqrt(n * b * (1 - b)) + 1;
