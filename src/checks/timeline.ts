// Reading a history as timelines: what each observer said about each node at any time, and the
// phases of a run (before the first fault, during faults, after the last heal).
import type { History, Observation, Op } from '../history/model.ts';

/** The sources that say whether a node takes writes, per store kind. */
export const WRITABLE_SOURCES: Record<string, Observation['source'][]> = { postgres: ['pg-recovery', 'patroni'], redis: ['redis-role'] };

export interface StoreInfo { members: string[]; kind: string }

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

/** Intervals in which `node` was primary by `source`: [start, end) with end = h.endT when still open. */
export function primaryIntervals(h: History, node: string, source: Observation['source']): [number, number][] {
  const out: [number, number][] = [];
  let open: number | undefined;
  for (const o of series(h, node, source)) {
    if (o.value === 'primary' && open === undefined) open = o.t;
    else if (o.value !== 'primary' && open !== undefined) {
      out.push([open, o.t]);
      open = undefined;
    }
  }
  if (open !== undefined) out.push([open, h.endT]);
  return out;
}

export interface Phases { faultT: number | null; healT: number | null }

/** The first injection and the last heal (open faults end with the history). */
export function phases(h: History): Phases {
  if (!h.faults.length) return { faultT: null, healT: null };
  return { faultT: Math.min(...h.faults.map((f) => f.start)), healT: Math.max(...h.faults.map((f) => f.end ?? h.endT)) };
}

export function phaseOf(op: Op, p: Phases): 'before' | 'during' | 'after' {
  if (p.faultT === null || op.scheduledT < p.faultT) return 'before';
  return op.scheduledT <= (p.healT ?? Infinity) ? 'during' : 'after';
}

export const finished = (ops: Op[]): Op[] => ops.filter((o) => o.outcome !== 'pending');
export const errorRate = (ops: Op[]): number | null => (ops.length ? ops.filter((o) => o.outcome !== 'ok').length / ops.length : null);
