// `variant` as an experiment (or `faultline up --variant/--param`) gives it: each entry checked
// against the registry (names, params, ranges, the rules between params) or as a variant of one's
// own, then resolved (params filled in from defaults) into what it sets. Two variants that set the
// same thing are refused: which one would win is not something to leave to order.
import { z } from 'zod';
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import type { VariantChecker, VariantUse } from '../config/variant.ts';
import { checkCustom, isCustomInput, loadCustomFile } from './custom.ts';
import { paramsByKey, variantNames, variantRegistry } from './registry.ts';
import { flatSettings } from './settings.ts';
import type { ResolvedVariant, Settings } from './types.ts';

const known = () => `known variants: ${variantNames().join(', ')}; or one of your own ({ name, patroni?, sentinel?, redis? })`;
const Named = z.object({ name: z.string().min(1), params: z.record(z.string(), z.unknown()).default({}) }).strict();

function checkParams(name: string, params: Record<string, unknown>, path: string, problems: ErrorDetail[]): Record<string, number> {
  const kind = variantRegistry.get(name)!;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(params)) {
    const spec = kind.params.find((p) => p.name === k || p.key === k);
    if (!spec) {
      problems.push({ path: `${path}.params.${k}`, message: `${name} has no param "${k}"`, fix: kind.params.length ? `use one of: ${kind.params.map((p) => p.name).join(', ')}` : `${name} takes no params` });
    } else if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || v > spec.max) {
      problems.push({ path: `${path}.params.${k}`, message: `${JSON.stringify(v)} is not a whole number from ${spec.min} to ${spec.max} (${spec.unit})`, fix: `e.g. ${spec.default} (the reference mesh's value)` });
    } else out[spec.name] = v;
  }
  return out;
}

/** What a use sets, every param filled in. */
export function resolveVariant(u: VariantUse): ResolvedVariant {
  if (u.custom) {
    const c = u.custom;
    const str = (o?: Record<string, number | string>) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) : undefined);
    const settings: Settings = { ...(c.patroni ? { patroni: c.patroni } : {}), ...(c.sentinel ? { sentinel: str(c.sentinel)! } : {}), ...(c.redis ? { redis: str(c.redis)! } : {}) };
    return { name: u.name, description: c.description ?? 'a variant of your own', params: {}, settings, custom: true, ...(c.compose ? { compose: c.compose } : {}) };
  }
  const kind = variantRegistry.get(u.name)!;
  const params = Object.fromEntries(kind.params.map((p) => [p.name, u.params[p.name] ?? p.default]));
  return { name: kind.name, description: kind.description, params, settings: kind.settings(params), custom: false };
}

export const checkVariants: VariantChecker = (raw, path) => {
  const problems: ErrorDetail[] = [];
  const items = Array.isArray(raw) ? raw : [raw];
  const uses: { use: VariantUse; path: string }[] = [];
  items.forEach((item, i) => {
    const at = Array.isArray(raw) ? `${path}[${i}]` : path;
    if (typeof item === 'string') {
      if (variantRegistry.has(item)) uses.push({ use: { name: item, params: {} }, path: at });
      else problems.push({ path: at, message: `unknown variant "${item}"`, fix: known() });
    } else if (isCustomInput(item)) {
      const c = checkCustom(item, at, variantNames());
      problems.push(...c.problems);
      if (c.value) {
        const { name, ...custom } = c.value;
        uses.push({ use: { name, params: {}, custom }, path: at });
      }
    } else {
      const r = Named.safeParse(item);
      if (!r.success) {
        problems.push(...r.error.issues.map((x) => ({ path: [at, ...x.path].join('.'), message: x.message, fix: `a variant is a name, { name, params }, or one of your own; ${known()}` })));
      } else if (!variantRegistry.has(r.data.name)) {
        problems.push({ path: `${at}.name`, message: `unknown variant "${r.data.name}"`, fix: known() });
      } else {
        const before = problems.length;
        const params = checkParams(r.data.name, r.data.params, at, problems);
        if (problems.length === before) uses.push({ use: { name: r.data.name, params }, path: at });
      }
    }
  });
  problems.push(...checkUses(uses));
  return { value: uses.map((u) => u.use), problems };
};

/**
 * Checked uses together: each on its own (the rules between its params), then against the others
 * (named twice, two setting the same thing). A sweep asks it again of each point's uses.
 */
export function checkUses(uses: { use: VariantUse; path: string }[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const owner = new Map<string, string>();
  const seen = new Set<string>();
  for (const { use, path: at } of uses) {
    if (seen.has(use.name)) problems.push({ path: at, message: `variant "${use.name}" is named twice`, fix: 'name each variant once (give it every param in one place)' });
    seen.add(use.name);
    const r = resolveVariant(use);
    for (const m of variantRegistry.get(use.name)?.check?.(r.params) ?? []) problems.push({ path: `${at}.params`, message: m, fix: 'choose params that satisfy it' });
    for (const [surface, kv] of Object.entries(flatSettings(r.settings))) {
      for (const k of Object.keys(kv ?? {})) {
        const other = owner.get(`${surface} ${k}`);
        if (other && other !== use.name) problems.push({ path: at, message: `variants "${other}" and "${use.name}" both set ${surface} ${k}`, fix: 'keep one of them: which would win must not depend on their order' });
        owner.set(`${surface} ${k}`, use.name);
      }
    }
  }
  return problems;
}

/**
 * `--variant a,b` (names, or JSON files of one's own) and `--param key=value` (`sentinel.down-after-milliseconds=3000`;
 * a param names its variant, which is added when not listed), checked as an experiment's would be.
 */
export function usesFromFlags(variants: string[], params: string[]): VariantUse[] {
  const problems: ErrorDetail[] = [];
  const items: unknown[] = variants.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)
    .map((s) => (s.endsWith('.json') ? loadCustomFile(s, variantNames()) : { name: s, params: {} as Record<string, number> }));
  for (const p of params) {
    const m = /^([^=]+)=(.*)$/.exec(p);
    const entry = m ? paramsByKey.get(m[1]!.trim()) : undefined;
    if (!m || !entry) {
      problems.push({ path: `--param ${p}`, message: m ? `unknown param "${m[1]}"` : 'not key=value', fix: `use one of: ${[...paramsByKey.keys()].join(', ')}` });
      continue;
    }
    const value = Number(m[2]);
    let item = items.find((x) => (x as { name: string }).name === entry.variant) as { name: string; params: Record<string, unknown> } | undefined;
    if (!item) items.push(item = { name: entry.variant, params: {} });
    item.params[entry.param.name] = m[2]!.trim() !== '' && Number.isFinite(value) ? value : m[2];
  }
  const r = checkVariants(items, '--variant');
  problems.push(...r.problems);
  if (problems.length) throw new FaultlineError(ErrorCodes.BAD_INPUT, `variants are not valid (${problems.length} problem${problems.length > 1 ? 's' : ''})`, 'correct each one listed above; nothing was touched (`faultline variant list` shows every variant and param)', { details: problems });
  return r.value;
}

/** An experiment's uses with `key=value` params laid over them (what a sweep does to each run). */
export function withParams(uses: VariantUse[], params: Record<string, number>): VariantUse[] {
  const out = uses.map((u) => ({ ...u, params: { ...u.params } }));
  for (const [key, v] of Object.entries(params)) {
    const entry = paramsByKey.get(key);
    if (!entry) throw new FaultlineError(ErrorCodes.BAD_INPUT, `unknown param "${key}"`, `use one of: ${[...paramsByKey.keys()].join(', ')}`);
    let u = out.find((x) => x.name === entry.variant);
    if (!u) out.push(u = { name: entry.variant, params: {} });
    u.params[entry.param.name] = v;
  }
  return out;
}
