// Primary changes per store, and which of them no fault called for: a promotion while no fault
// had touched the primary it replaced (flapping, or a fault elsewhere that should not matter).
import type { History } from '../history/model.ts';
import { series, WRITABLE_SOURCES, type StoreInfo } from './timeline.ts';

export interface Failover { t: number; from: string | null; to: string; necessary: boolean }

export function failovers(h: History, store: StoreInfo): Failover[] {
  const source = WRITABLE_SOURCES[store.kind]?.[0];
  if (!source) return [];
  const becomes = store.members.flatMap((m) => series(h, m, source).filter((o) => o.value === 'primary').map((o) => ({ t: o.t, node: m })))
    .sort((a, b) => a.t - b.t);
  const out: Failover[] = [];
  let current: string | null = null;
  for (const [i, b] of becomes.entries()) {
    if (i === 0) {
      current = b.node; // the primary the run started with
      continue;
    }
    if (b.node === current) continue;
    const necessary = current !== null && h.faults.some((f) => f.start <= b.t && f.nodes.includes(current!));
    out.push({ t: b.t, from: current, to: b.node, necessary });
    current = b.node;
  }
  return out;
}
