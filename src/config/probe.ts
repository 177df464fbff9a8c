// Steady-state probes as data: an HTTP answer, an SQL query, a Redis command, or a store's roles.
// Node-addressed probes reach the node on its published (un-proxied) port, so a link fault
// judges the system, never the probe's own path to it.
import { z } from 'zod';
import { Duration } from '../core/duration.ts';
import type { Exclusive } from '../core/exclusive.ts';
import { NodeSelector } from './node-selector.ts';

const Phase = z.enum(['before', 'during', 'after']);
export type ProbePhase = z.infer<typeof Phase>;

const Common = {
  name: z.string().min(1).max(80),
  /** When the probe is checked; a role probe that must fail during a failover leaves out "during". */
  phases: z.array(Phase).min(1).default(['before', 'during', 'after']),
  /** A breach during the timeline stops it and heals at once. */
  abortOnBreach: z.boolean().default(false),
  timeout: Duration.default(2000),
};

const Http = z.object({
  ...Common,
  http: z.union([
    z.object({ url: z.url() }).strict(),
    z.object({ node: z.string().min(1), port: z.string().min(1), path: z.string().startsWith('/').default('/') }).strict(),
  ]).and(z.object({ method: z.enum(['GET', 'HEAD', 'POST']).optional(), status: z.array(z.number().int().min(100).max(599)).min(1).optional() })),
}).strict();

const Sql = z.object({
  ...Common,
  sql: z.object({
    node: NodeSelector,
    port: z.string().min(1).default('postgres'),
    database: z.string().min(1),
    user: z.string().min(1),
    password: z.string().default(''),
    query: z.string().min(1),
    /** The first column of the first row must equal this (compared as text). */
    expect: z.union([z.string(), z.number(), z.boolean()]).optional(),
  }).strict(),
}).strict();

const RedisProbe = z.object({
  ...Common,
  redis: z.object({
    node: NodeSelector,
    port: z.string().min(1).default('redis'),
    command: z.array(z.string()).min(1),
    expect: z.union([z.string(), z.number()]).optional(),
    /** The answer (as text) must contain this, e.g. "master_link_status:up" in INFO replication. */
    contains: z.string().min(1).optional(),
  }).strict(),
}).strict();

const RoleProbe = z.object({
  ...Common,
  /** Exactly `primaries` members say they are primary (1 unless given) and, when given, exactly `replicas` stream from that primary. */
  role: z.object({ store: z.string().min(1), primaries: z.number().int().min(0).default(1), replicas: z.number().int().min(0).optional() }).strict(),
}).strict();

export const ProbeSchema = z.union([Http, Sql, RedisProbe, RoleProbe]);
export type Probe = z.infer<typeof ProbeSchema>;

export const PROBE_KINDS = ['http', 'sql', 'redis', 'role'] as const;
type ProbeKind = (typeof PROBE_KINDS)[number];

/** A probe as an experiment writes it: exactly one of `http`, `sql`, `redis`, `role`, and its fields. */
export type ProbeInput = Exclusive<z.input<typeof ProbeSchema>, ProbeKind>;
/** A `waitUntil` probe: the same, with `name` optional. */
export type WaitProbeInput = Exclusive<z.input<typeof ProbeSchema> extends infer P ? P extends unknown ? Omit<P, 'name'> & { name?: string } : never : never, ProbeKind>;
export const probeKind = (p: Probe): ProbeKind =>
  'http' in p ? 'http' : 'sql' in p ? 'sql' : 'redis' in p ? 'redis' : 'role';

/** One schema per kind, chosen by the key present, so errors name the real problem. */
export function probeSchemaFor(raw: unknown): z.ZodType<Probe> | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const k = PROBE_KINDS.find((x) => x in raw);
  return k === 'http' ? Http : k === 'sql' ? Sql : k === 'redis' ? RedisProbe : k === 'role' ? RoleProbe : undefined;
}
