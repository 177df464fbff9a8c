// How every report spells a figure, so the terminal, JUnit and HTML say the same thing in the same
// words: an SLO's observed value and limit in its unit, and phase times as "+N" from the fault.
import { formatMs } from '../core/duration.ts';
import type { SloVerdict } from '../core/verdict.ts';

export function formatValue(v: number | boolean | string | null, unit: SloVerdict['unit']): string {
  if (v === null) return '-';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  switch (unit) {
    case 'ms': return formatMs(Math.round(v));
    case 'ratio': return `${+(v * 100).toFixed(2)}%`;
    default: return String(v);
  }
}

/** One line for a judged SLO, e.g. "observed 7 s > limit 5 s"; a missing observation says so. */
export function sloMessage(s: SloVerdict): string {
  const limit = formatValue(s.limit, s.unit);
  if (s.observed === null) return `nothing observed (limit ${limit})`;
  const observed = formatValue(s.observed, s.unit);
  // Only a numeric SLO that exceeded its limit earns ">": a boolean or a pass reads as a plain pair.
  const over = typeof s.observed === 'number' && typeof s.limit === 'number' && s.observed > s.limit;
  return over ? `observed ${observed} > limit ${limit}` : `observed ${observed}, limit ${limit}`;
}

/** A phase time relative to the first fault ("+2.1 s"), or "-" when the phase never happened. */
export const sinceFault = (ms: number | null): string => (ms === null ? '-' : `${ms < 0 ? '-' : '+'}${formatMs(Math.abs(Math.round(ms)))}`);
