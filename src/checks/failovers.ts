// Primary changes per store, and which of them no fault called for: a promotion while no fault
// had touched the primary it replaced (flapping, or a fault elsewhere that should not matter).
import type { History } from '../history/model.ts';
import { series, WRITABLE_SOURCES, type StoreInfo } from './timeline.ts';

export interface Failover { t: number; from: string | null; to: string; necessary: boolean }

export function failovers(h: History, store: StoreInfo): Failover[] {
  const source = WRITABLE_SOURCES[store.kind]?.[0];
  if (!source) return [];
  // Walk the store's role changes in time order, tracking who says primary. A failover is the
  // single primary becoming another node; a moment with two (split brain, e.g. an old primary
  // restarted as one) is the split-brain check's business, not a failover.
  const changes = store.members.flatMap((m) => series(h, m, source).map((o) => ({ t: o.t, node: m, primary: o.value === 'primary' }))).sort((a, b) => a.t - b.t);
  const now = new Set<string>();
  const out: Failover[] = [];
  let single: string | null = null;
  for (const c of changes) {
    if (c.primary) now.add(c.node);
    else now.delete(c.node);
    if (now.size !== 1) continue;
    const [p] = [...now] as [string];
    if (single !== null && p !== single) {
      const from: string = single;
      out.push({ t: c.t, from, to: p, necessary: h.faults.some((f) => f.start <= c.t && f.nodes.includes(from)) });
    }
    single = p;
  }
  return out;
}
