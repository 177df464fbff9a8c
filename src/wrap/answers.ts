// What wrap cannot read from the compose file, answered per service: its zone, and where the
// guess would be wrong or missing, its kind, its store and the servers it connects to. From a
// small file (`--answers`, YAML or JSON) and flags (`--zone app=a`), flags winning.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import { CredentialsSchema } from '../config/target.ts';

const Name = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, and . _ - only');

const ServiceAnswer = z.object({
  zone: Name.optional(),
  kind: z.string().min(1).optional(),
  /** The store it belongs to; `false`: none, even if it is a database. */
  store: z.union([Name, z.literal(false)]).optional(),
  /** Servers it reaches that its environment and command do not name: `<service>:<port>`. */
  connects: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*:\d{1,5}$/, '<service>:<port>')).default([]),
}).strict();

export const AnswersSchema = z.object({
  services: z.record(z.string(), ServiceAnswer).default({}),
  /** Fields laid over each store wrap finds (kind, credentials, masterName, …), by store name. */
  stores: z.record(z.string(), z.object({ kind: z.string().min(1).optional(), credentials: CredentialsSchema.optional() }).loose()).default({}),
  zones: z.record(z.string(), z.string()).default({}),
  /** The first host port wrap publishes (Toxiproxy's API); the rest follow it. */
  hostPortBase: z.number().int().min(1024).max(65000).default(27000),
  /** Where the networks' /28 subnets come from: Docker's default pools are often nearly used up. */
  subnet: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'an IPv4 CIDR from /16 to /24, e.g. 10.213.0.0/16').default('10.213.0.0/16'),
  toxiproxy: z.object({ service: Name.default('faultline-toxiproxy'), image: z.string().min(1).default('ghcr.io/shopify/toxiproxy:2.12.0') }).strict().default({ service: 'faultline-toxiproxy', image: 'ghcr.io/shopify/toxiproxy:2.12.0' }),
}).strict();

export type Answers = z.infer<typeof AnswersSchema>;
export type AnswersInput = z.input<typeof AnswersSchema>;

/** `--zone app=a` and its kin: service -> value. */
export interface AnswerFlags { zone?: string[]; kind?: string[]; store?: string[]; hostPortBase?: number; subnet?: string }

function flagPairs(flag: string, values: string[], problems: ErrorDetail[]): [string, string][] {
  return values.flatMap((v): [string, string][] => {
    const m = /^([^=\s]+)=(\S+)$/.exec(v);
    if (m) return [[m[1]!, m[2]!]];
    problems.push({ path: `--${flag} ${v}`, message: 'not <service>=<value>', fix: `write e.g. --${flag} app=${flag === 'zone' ? 'a' : 'value'}` });
    return [];
  });
}

/** The answers file (if any) with the flags laid over it, checked whole: every problem at once. */
export function loadAnswers(file: string | undefined, flags: AnswerFlags = {}): Answers {
  let raw: Record<string, unknown> = {};
  if (file) {
    try {
      raw = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new FaultlineError(ErrorCodes.BAD_INPUT, `cannot read the answers file ${file}: ${(e as Error).message}`, 'pass a YAML or JSON file with `services: { <service>: { zone, kind?, store? } }`');
    }
  }
  const problems: ErrorDetail[] = [];
  const services = { ...(raw.services as Record<string, Record<string, unknown>> | undefined) };
  for (const field of ['zone', 'kind', 'store'] as const) {
    for (const [svc, value] of flagPairs(field, flags[field] ?? [], problems)) services[svc] = { ...services[svc], [field]: value };
  }
  const merged = { ...raw, services, ...(flags.hostPortBase !== undefined ? { hostPortBase: flags.hostPortBase } : {}), ...(flags.subnet ? { subnet: flags.subnet } : {}) };
  const r = AnswersSchema.safeParse(merged);
  if (!r.success) problems.push(...r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
  if (problems.length || !r.success) {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `the answers for wrap are not valid (${problems.length} problem${problems.length > 1 ? 's' : ''})`, `correct each one listed above${file ? ` (in ${file} or the flags)` : ''}; nothing was written`, { details: problems });
  }
  return r.data;
}
