// Settings as flat keys: Patroni's nested patch as dotted leaf paths (`postgresql.parameters.x`),
// so that reading back, comparing and reverting are the same for every system.
import type { Settings, SurfaceName } from './types.ts';

export type Flat = Partial<Record<SurfaceName, Record<string, unknown>>>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `{ a: { b: 1 } }` -> `{ 'a.b': 1 }` (arrays and scalars are leaves). */
export function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).flatMap(([k, v]) => (isObject(v) && Object.keys(v).length ? Object.entries(flatten(v, `${prefix}${k}.`)) : [[`${prefix}${k}`, v]])));
}

/** `{ 'a.b': 1 }` -> `{ a: { b: 1 } }`: a Patroni patch again. */
export function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(flat)) {
    const parts = path.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) at = (at[p] = isObject(at[p]) ? at[p] : {}) as Record<string, unknown>;
    at[parts.at(-1)!] = v;
  }
  return out;
}

/** The value at a dotted path (null when absent, as Patroni reads a key it does not have). */
export function at(o: unknown, path: string): unknown {
  let v = o;
  for (const p of path.split('.')) v = isObject(v) ? v[p] : undefined;
  return v ?? null;
}

export const flatSettings = (s: Settings): Flat => ({
  ...(s.patroni ? { patroni: flatten(s.patroni) } : {}),
  ...(s.sentinel ? { sentinel: { ...s.sentinel } } : {}),
  ...(s.redis ? { redis: { ...s.redis } } : {}),
});

/** Several variants' settings as one (validation refused any key two of them set). */
export function mergeSettings(all: Settings[]): Settings {
  const m: Settings = {};
  for (const s of all) {
    if (s.patroni) m.patroni = unflatten({ ...flatten(m.patroni ?? {}), ...flatten(s.patroni) });
    if (s.sentinel) m.sentinel = { ...m.sentinel, ...s.sentinel };
    if (s.redis) m.redis = { ...m.redis, ...s.redis };
  }
  return m;
}

export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
