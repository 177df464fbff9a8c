// Unavailability. Per client: stretches of its scheduled writes that all failed (or are
// indeterminate), from the first such write's due time to its next write that succeeded. For the
// system: time in which no client succeeded, i.e. every client was inside such a stretch. Merging
// every client's failures by time instead would count app-a's outage as the system's while app-b
// kept writing.
import type { History } from '../history/model.ts';
import { finishedOf, phaseAt, phases, PHASES, type PhaseName } from './timeline.ts';

export interface Window { start: number; end: number }

export function clientWindows(h: History): Record<string, Window[]> {
  const ops = h.ops;
  const open = new Map<number, number>();
  const out = new Map<number, Window[]>();
  for (let c = 0; c < ops.clients.list.length; c++) out.set(c, []);
  for (const i of finishedOf(ops)) {
    const c = ops.clientIndex(i);
    const t = ops.due(i);
    if (!ops.isOk(i)) {
      if (!open.has(c)) open.set(c, t);
    } else if (open.has(c)) {
      out.get(c)!.push({ start: open.get(c)!, end: t });
      open.delete(c);
    }
  }
  for (const [c, start] of open) out.get(c)!.push({ start, end: h.endT });
  return Object.fromEntries([...out].map(([c, ws]) => [ops.clients.list[c]!, ws]));
}

/** Where every list has a window at once (each list sorted and non-overlapping). */
export function intersect(lists: Window[][]): Window[] {
  if (!lists.length) return [];
  let acc = lists[0]!;
  for (const next of lists.slice(1)) {
    const out: Window[] = [];
    let i = 0;
    let j = 0;
    while (i < acc.length && j < next.length) {
      const start = Math.max(acc[i]!.start, next[j]!.start);
      const end = Math.min(acc[i]!.end, next[j]!.end);
      if (end > start) out.push({ start, end });
      if (acc[i]!.end < next[j]!.end) i++;
      else j++;
    }
    acc = out;
  }
  return acc;
}

export function systemWindows(perClient: Record<string, Window[]>): Window[] {
  return intersect(Object.values(perClient));
}

export const totalMs = (ws: Window[]): number => ws.reduce((n, w) => n + (w.end - w.start), 0);

/** Share of writes that failed or are indeterminate, per phase by due time; null for a phase with no write. */
export function errorRates(h: History): Record<PhaseName, number | null> {
  const p = phases(h);
  const n = { before: 0, during: 0, recovery: 0, after: 0 };
  const bad = { ...n };
  for (const i of finishedOf(h.ops)) {
    const ph = phaseAt(h.ops.due(i), p);
    n[ph]++;
    if (!h.ops.isOk(i)) bad[ph]++;
  }
  return Object.fromEntries(PHASES.map((ph) => [ph, n[ph] ? bad[ph] / n[ph] : null])) as Record<PhaseName, number | null>;
}
