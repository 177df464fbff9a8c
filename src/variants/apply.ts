// Apply variants, verified; revert them, verified. Before anything is set, every node of every
// system involved is read (what a revert goes back to, and proof that each answers and knows each
// setting); `onBefore` is told those values before the first change, so that a run killed halfway
// can still be reverted from its journal. Then the settings go on, and are read back on every node
// (and checked where they act) until all agree, or the deadline says what is still off.
import type { Target } from '../config/target.ts';
import { patroniStores, patroniSurface } from './patroni-surface.ts';
import { redisSurface } from './redis-surface.ts';
import { sentinelSurface } from './sentinel-surface.ts';
import { flatSettings, mergeSettings, same, type Flat } from './settings.ts';
import { sleep, type ByNode, type Surface } from './surface.ts';
import type { Readings, ResolvedVariant, SurfaceName } from './types.ts';

export const surfaces: Record<SurfaceName, Surface> = { patroni: patroniSurface, sentinel: sentinelSurface, redis: redisSurface };

export interface AppliedVariants {
  variants: { name: string; params: Record<string, number>; description: string; custom: boolean }[];
  /** Every node's values before: what revertVariants goes back to. */
  before: Readings;
  /** Every node's values read back once all agreed. */
  values: Readings;
  /** What was checked where the settings act (e.g. how each replica streams), and notes. */
  checks: string[];
  ms: number;
}

const used = (flat: Flat) => (Object.keys(flat) as SurfaceName[]).filter((s) => Object.keys(flat[s] ?? {}).length);

/** The systems these settings need that the target lacks (validation refuses such a variant). */
export function missingSurfaces(t: Target, resolved: ResolvedVariant[]): { variant: string; surface: SurfaceName }[] {
  return resolved.flatMap((r) => used(flatSettings(r.settings)).filter((s) => !surfaces[s].nodes(t).length).map((surface) => ({ variant: r.name, surface })));
}

async function readAll(t: Target, flat: Flat): Promise<Readings> {
  const out: Readings = {};
  for (const s of used(flat)) out[s] = await surfaces[s].read(t, Object.keys(flat[s]!));
  return out;
}

/** Node by node, what differs from what is wanted (empty: every node agrees). */
function differences(read: Readings, wanted: Readings): string[] {
  return Object.entries(wanted).flatMap(([s, byNode]) => Object.entries(byNode ?? {}).flatMap(([node, kv]) =>
    Object.entries(kv).filter(([k, v]) => !same(read[s as SurfaceName]?.[node]?.[k], v)).map(([k, v]) => `${s} on ${node}: ${k} is ${JSON.stringify(read[s as SurfaceName]?.[node]?.[k] ?? null)}, not ${JSON.stringify(v)}`)));
}

/** Poll until every node reads back what is wanted and (when asked) it is in force; throws what is still off at the deadline. */
async function verify(t: Target, flat: Flat, wanted: Readings, opts: { inForce: boolean; timeoutMs: number }): Promise<{ values: Readings; checks: string[] }> {
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    let off: string[];
    let values: Readings = {};
    const checks: string[] = [];
    try {
      values = await readAll(t, flat);
      off = differences(values, wanted);
      for (const s of opts.inForce && !off.length ? used(flat) : []) {
        const r = await surfaces[s].inForce?.(t, flat[s]!);
        checks.push(...(r?.seen ?? []));
        if (r?.off) off.push(`${s}: ${r.off}`);
      }
    } catch (e) {
      off = [(e as Error).message];
    }
    if (!off.length) return { values, checks };
    if (performance.now() > deadline) throw new Error(`not in force ${Math.round(opts.timeoutMs / 1000)} s after being set: ${off.join('; ')}`);
    await sleep(250);
  }
}

/** Every node of each system, wanting the same values. */
function everywhere(t: Target, flat: Flat): Readings {
  return Object.fromEntries(used(flat).map((s) => [s, Object.fromEntries(surfaces[s].nodes(t).map((n) => [n.name, { ...flat[s] }]))]));
}

export async function applyVariants(t: Target, resolved: ResolvedVariant[], opts: { onBefore?: (before: Readings) => void; timeoutMs?: number } = {}): Promise<AppliedVariants> {
  const t0 = performance.now();
  const flat = flatSettings(mergeSettings(resolved.map((r) => r.settings)));
  const missing = missingSurfaces(t, resolved);
  if (missing.length) throw new Error(missing.map((m) => `variant ${m.variant} changes ${m.surface}, and ${t.projectName} has no ${m.surface} nodes`).join('; '));
  const before = await readAll(t, flat);
  opts.onBefore?.(before);
  const wanted = everywhere(t, flat);
  const notes: string[] = [];
  for (const s of used(flat)) notes.push(...(await surfaces[s].write(t, wanted[s] as ByNode)));
  const { values, checks } = await verify(t, flat, wanted, { inForce: true, timeoutMs: opts.timeoutMs ?? 30_000 });
  return {
    variants: resolved.map((r) => ({ name: r.name, params: r.params, description: r.description, custom: r.custom })),
    before, values, checks: [...checks, ...notes], ms: Math.round(performance.now() - t0),
  };
}

/**
 * Put back the values read before (each node its own; Patroni's, one per store, from its first
 * member, since the DCS holds one config) and read them back on every node.
 */
export async function revertVariants(t: Target, before: Readings, opts: { timeoutMs?: number } = {}): Promise<{ values: Readings; ms: number }> {
  const t0 = performance.now();
  const wanted: Readings = { ...before };
  if (before.patroni) {
    wanted.patroni = {};
    for (const members of patroniStores(t)) {
      const first = members.find((n) => before.patroni![n.name]);
      for (const n of first ? members : []) wanted.patroni[n.name] = { ...before.patroni[first!.name] };
    }
  }
  const flat: Flat = Object.fromEntries(Object.entries(wanted).map(([s, byNode]) => [s, Object.assign({}, ...Object.values(byNode ?? {}))]));
  for (const s of used(flat)) await surfaces[s].write(t, wanted[s] as ByNode);
  const { values } = await verify(t, flat, wanted, { inForce: false, timeoutMs: opts.timeoutMs ?? 30_000 });
  return { values, ms: Math.round(performance.now() - t0) };
}

/** What every node reads now for these settings (`faultline variant show`). */
export const readVariants = (t: Target, resolved: ResolvedVariant[]): Promise<Readings> =>
  readAll(t, flatSettings(mergeSettings(resolved.map((r) => r.settings))));
