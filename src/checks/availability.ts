// Unavailability: stretches of scheduled writes that all failed (or are indeterminate), from the
// first such write's due time to the next write that succeeded. Error rate per phase.
import type { History } from '../history/model.ts';
import { errorRate, finished, phaseOf, phases } from './timeline.ts';

export function unavailableWindows(h: History): { start: number; end: number }[] {
  const ops = finished(h.ops).sort((a, b) => a.scheduledT - b.scheduledT);
  const out: { start: number; end: number }[] = [];
  let start: number | undefined;
  for (const op of ops) {
    if (op.outcome !== 'ok' && start === undefined) start = op.scheduledT;
    else if (op.outcome === 'ok' && start !== undefined) {
      out.push({ start, end: op.scheduledT });
      start = undefined;
    }
  }
  if (start !== undefined) out.push({ start, end: h.endT });
  return out;
}

export const totalMs = (ws: { start: number; end: number }[]): number => ws.reduce((n, w) => n + (w.end - w.start), 0);

export function errorRates(h: History): { before: number | null; during: number | null; after: number | null } {
  const p = phases(h);
  const ops = finished(h.ops);
  const of = (ph: 'before' | 'during' | 'after') => errorRate(ops.filter((o) => phaseOf(o, p) === ph));
  return { before: of('before'), during: of('during'), after: of('after') };
}
