// Every workload client kind, looked up by name. Adding a kind = one file + one line here.
import type { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import type { CheckedClient } from '../../config/workload.ts';
import app from './app.ts';
import http from './http.ts';
import sql from './sql.ts';
import redis from './redis.ts';
import user from './user.ts';
import type { ClientKind } from './types.ts';

const kinds = [app, http, sql, redis, user] as const;

/** A client as an experiment writes it: one member per kind, told apart by `kind`, each with exactly its kind's fields. */
export type ClientInput = z.input<(typeof kinds)[number]['schema']>;
export type ClientKindName = ClientInput['kind'];

export const clientRegistry: ReadonlyMap<string, ClientKind<CheckedClient>> = new Map(kinds.map((k) => [k.kind, k as unknown as ClientKind<CheckedClient>]));
export const clientKindNames = (): string[] => [...clientRegistry.keys()];

/** Check a client config against its kind's schema, every problem with its path; `base` makes its paths absolute. */
export function checkClient(raw: unknown, path = 'workload.client', base?: string): { value?: CheckedClient; problems: ErrorDetail[] } {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const impl = typeof kind === 'string' ? clientRegistry.get(kind) : undefined;
  if (!impl) {
    return { problems: [{ path: `${path}.kind`, message: kind === undefined ? 'missing' : `unknown client kind ${JSON.stringify(kind)}`, fix: `use one of: ${clientKindNames().join(', ')}` }] };
  }
  const r = impl.schema.safeParse(raw);
  if (!r.success) return { problems: r.error.issues.map((i) => ({ path: [path, ...i.path.map(String)].join('.'), message: i.message, fix: `see the "${kind}" client under "Workload clients" in the README` })) };
  return { value: base !== undefined && impl.withBase ? impl.withBase(r.data, base) : r.data, problems: [] };
}

/** The kind of a checked client config. */
export const kindOf = (c: CheckedClient): ClientKind<CheckedClient> => clientRegistry.get(c.kind)!;
