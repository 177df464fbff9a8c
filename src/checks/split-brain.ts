// Split brain: time during which two members of one store said they take writes, and writes
// acknowledged by a node after another had been promoted over it.
import type { History } from '../history/model.ts';
import { primaryIntervals, WRITABLE_SOURCES, type StoreInfo } from './timeline.ts';

export interface SplitBrain { ms: number; windows: { start: number; end: number; nodes: string[] }[]; writesToDemoted: number }

export function splitBrain(h: History, store: StoreInfo): SplitBrain {
  // The first source per kind is the one closest to "accepts writes" (pg_is_in_recovery, ROLE).
  const source = WRITABLE_SOURCES[store.kind]?.[0];
  if (!source) return { ms: 0, windows: [], writesToDemoted: 0 };
  const edges: { t: number; node: string; d: 1 | -1 }[] = [];
  for (const m of store.members) for (const [s, e] of primaryIntervals(h, m, source)) edges.push({ t: s, node: m, d: 1 }, { t: e, node: m, d: -1 });
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  const now = new Set<string>();
  const windows: SplitBrain['windows'] = [];
  let open: { start: number; nodes: Set<string> } | undefined;
  for (const e of edges) {
    if (e.d === 1) now.add(e.node);
    else now.delete(e.node);
    if (now.size >= 2 && !open) open = { start: e.t, nodes: new Set(now) };
    else if (now.size >= 2 && open) now.forEach((n) => open!.nodes.add(n));
    else if (now.size < 2 && open) {
      if (e.t > open.start) windows.push({ start: open.start, end: e.t, nodes: [...open.nodes] });
      open = undefined;
    }
  }
  // Writes the older of two primaries acknowledged: it had been superseded, and will be demoted.
  const starts = new Map(store.members.map((m) => [m, primaryIntervals(h, m, source).map(([st]) => st)]));
  const promotedBy = (n: string, t: number) => Math.max(-Infinity, ...(starts.get(n) ?? []).filter((st) => st <= t));
  const writesToDemoted = h.ops.filter((o) => {
    if (o.outcome !== 'ok' || !o.node || o.endT === null) return false;
    const w = windows.find((x) => x.nodes.includes(o.node!) && o.endT! >= x.start && o.endT! <= x.end);
    return w !== undefined && w.nodes.some((n) => n !== o.node && promotedBy(n, o.endT!) > promotedBy(o.node!, o.endT!));
  }).length;
  return { ms: Math.round(windows.reduce((n, w) => n + w.end - w.start, 0)), windows, writesToDemoted };
}
