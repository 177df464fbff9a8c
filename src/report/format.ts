// How every report spells a figure, so the terminal, JUnit and HTML say the same thing in the same
// words: an SLO's observed value and limit in its unit, and phase times as "+N" from the fault.
import { formatMs } from '../core/duration.ts';
import type { SloVerdict } from '../core/verdict.ts';
import type { VariantReadings, VariantsRecord } from '../core/run-result.ts';

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

/** One line per system and set of values: `redis on redis-a, redis-b: min-replicas-to-write="0"` (nodes that agree together). */
export function describeReadings(r: VariantReadings): string[] {
  return Object.entries(r).flatMap(([system, byNode]) => {
    const groups = new Map<string, string[]>();
    for (const [node, kv] of Object.entries(byNode ?? {})) {
      const text = Object.entries(kv).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
      groups.set(text, [...(groups.get(text) ?? []), node]);
    }
    return [...groups].map(([text, nodes]) => `${system} on ${nodes.join(', ')}: ${text}`);
  });
}

/** A variant with its params: `sentinel-timing (down-after-milliseconds=3000, failover-timeout=5000)`. */
export const variantLabel = (v: VariantsRecord['variants'][number]): string =>
  `${v.name}${Object.keys(v.params).length ? ` (${Object.entries(v.params).map(([k, x]) => `${k}=${x}`).join(', ')})` : ''}${v.custom ? ' [your own]' : ''}`;

/** What a run's variants came to, a few lines for people (terminal and HTML). */
export function describeVariants(v: VariantsRecord): string[] {
  const names = v.variants.map(variantLabel).join('; ');
  const lines = v.values ? [`variants in force: ${names}`, ...describeReadings(v.values).map((l) => `  read back: ${l}`), ...v.checks.map((c) => `  checked: ${c}`)]
    : [`variants NOT in force: ${names}: ${v.error ?? 'not applied'}`];
  if (v.reverted?.ok) lines.push(`  reverted${v.reverted.by ? ` by ${v.reverted.by}` : ''}: ${describeReadings(v.reverted.values ?? {}).join('; ') || 'nothing to put back'}`);
  else if (v.touched) lines.push(`  NOT reverted: ${v.reverted?.error ?? 'the run ended before it could revert them'}`);
  return lines;
}
