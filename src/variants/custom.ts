// A user's own variant: a Patroni config patch, Sentinel options, Redis parameters, a compose
// override. Checked here before anything is touched; whether Redis knows a parameter is asked of
// every node before the first one is changed (apply.ts).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import type { CustomVariantInput } from '../config/variant.ts';

/** The `SENTINEL SET` options a variant may change: those `SENTINEL MASTER` reads back (scripts and passwords are not variants). */
export const SENTINEL_OPTIONS = ['down-after-milliseconds', 'failover-timeout', 'parallel-syncs', 'quorum'] as const;
/** Redis parameters that would cut the harness or the mesh off from the node, not vary its behaviour. */
export const REDIS_DENIED = ['port', 'bind', 'dir', 'dbfilename', 'appendfilename', 'appenddirname', 'requirepass', 'masterauth', 'masteruser', 'replica-announce-ip', 'replica-announce-port', 'protected-mode', 'tls-port', 'unixsocket'];

const Value = z.union([z.number(), z.string()]);
export const CustomSchema = z.object({
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by "-"').max(60),
  description: z.string().optional(),
  patroni: z.record(z.string().min(1), z.unknown()).optional(),
  sentinel: z.record(z.string(), z.union([z.number().int().min(0), z.string().regex(/^\d+$/, 'a whole number')])).optional(),
  redis: z.record(z.string().regex(/^[a-z0-9-]+$/, 'a Redis parameter name (lower case, "-")'), Value).optional(),
  compose: z.string().min(1).optional(),
}).strict();

export const isCustomInput = (raw: unknown): boolean =>
  raw !== null && typeof raw === 'object' && ['patroni', 'sentinel', 'redis', 'compose', 'description'].some((k) => k in raw);

/** Problems of a user-defined variant at `path`; the valid input when there are none. */
export function checkCustom(raw: unknown, path: string, registryNames: string[]): { value?: CustomVariantInput; problems: ErrorDetail[] } {
  const r = CustomSchema.safeParse(raw);
  if (!r.success) return { problems: r.error.issues.map((i) => ({ path: [path, ...i.path].join('.'), message: i.message, fix: 'a variant of your own has name, and any of patroni, sentinel, redis, compose (README "Variants")' })) };
  const v = r.data as CustomVariantInput;
  const problems: ErrorDetail[] = [];
  if (registryNames.includes(v.name)) problems.push({ path: `${path}.name`, message: `"${v.name}" is a registry variant`, fix: `give your own variant another name, or use "${v.name}" by name (with params)` });
  if (!v.patroni && !v.sentinel && !v.redis && !v.compose) problems.push({ path, message: `variant "${v.name}" sets nothing`, fix: `set patroni, sentinel, redis or compose; or name a registry variant: ${registryNames.join(', ')}` });
  if (v.patroni && !Object.keys(v.patroni).length) problems.push({ path: `${path}.patroni`, message: 'an empty patch', fix: 'give Patroni keys to set, e.g. { synchronous_mode: false }' });
  for (const k of Object.keys(v.sentinel ?? {})) {
    if (!(SENTINEL_OPTIONS as readonly string[]).includes(k)) problems.push({ path: `${path}.sentinel.${k}`, message: `"${k}" is not a Sentinel option a variant may set`, fix: `use one of ${SENTINEL_OPTIONS.join(', ')}` });
  }
  for (const k of Object.keys(v.redis ?? {})) {
    if (REDIS_DENIED.includes(k)) problems.push({ path: `${path}.redis.${k}`, message: `${k} would cut the harness or the mesh off from the node`, fix: 'vary behaviour (persistence, fencing, timeouts), not how the node is reached' });
  }
  return problems.length ? { problems } : { value: v, problems };
}

/** A variant of one's own from a JSON file (`faultline up --variant ./mine.json`); compose resolves relative to it. */
export function loadCustomFile(file: string, registryNames: string[]): CustomVariantInput {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `cannot read the variant file ${file}: ${(e as Error).message}`, 'pass a JSON file: { "name": "my-variant", "patroni": {...}, "sentinel": {...}, "redis": {...}, "compose": "override.yml" }');
  }
  const { value, problems } = checkCustom(raw, file, registryNames);
  if (!value) throw new FaultlineError(ErrorCodes.BAD_INPUT, `variant file ${file} is not valid`, 'correct each field listed above', { details: problems });
  return value.compose ? { ...value, compose: resolve(dirname(file), value.compose) } : value;
}
