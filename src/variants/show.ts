// `faultline variant show`: which registry variants are in force on the running target, read
// from every node. A variant is in force when every node reads what it sets; a parameterised one
// also shows the values its params have now (a param's key is `<system>.<setting>`).
import type { Target } from '../config/target.ts';
import { missingSurfaces, readVariants } from './apply.ts';
import { resolveVariant } from './check.ts';
import { variantRegistry } from './registry.ts';
import { flatSettings, same } from './settings.ts';
import type { Readings, SurfaceName } from './types.ts';

export interface VariantState {
  name: string;
  /** 'in force': every node reads what it sets (a parameterised one: with its defaults); 'not applicable': the target lacks a system it changes. */
  state: 'in force' | 'not in force' | 'not applicable';
  /** A parameterised variant's params as the nodes read them now (null: the nodes disagree). */
  params: Record<string, unknown>;
  values: Readings;
}

export async function variantStates(t: Target): Promise<VariantState[]> {
  const out: VariantState[] = [];
  for (const kind of variantRegistry.values()) {
    const r = resolveVariant({ name: kind.name, params: {} });
    if (missingSurfaces(t, [r]).length) {
      out.push({ name: kind.name, state: 'not applicable', params: {}, values: {} });
      continue;
    }
    const values = await readVariants(t, [r]);
    const flat = flatSettings(r.settings);
    const agrees = Object.entries(flat).every(([s, kv]) => Object.values(values[s as SurfaceName] ?? {}).every((node) => Object.entries(kv ?? {}).every(([k, v]) => same(node[k], v))));
    const params = Object.fromEntries(kind.params.map((p) => {
      const [system, ...rest] = p.key.split('.');
      const seen = Object.values(values[system as SurfaceName] ?? {}).map((node) => node[rest.join('.')]);
      return [p.name, seen.every((x) => same(x, seen[0])) ? seen[0] ?? null : null];
    }));
    out.push({ name: kind.name, state: agrees ? 'in force' : 'not in force', params, values });
  }
  return out;
}
