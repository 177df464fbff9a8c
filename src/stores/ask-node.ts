// Asking one node something on its published (un-proxied) port, giving up fast: for role
// queries and probes, never for workloads.
import pg from 'pg';
import { Redis } from 'ioredis';
import type { StoreCredentials, TargetNode } from '../config/target.ts';

export async function getJson(url: string, ms = 1500): Promise<unknown> {
  const r = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return r.json();
}

/** One command on a fresh connection. */
export async function redisCommand(host: string, port: number, args: [string, ...string[]]): Promise<unknown> {
  const [answer] = await redisCommands(host, port, [args]);
  if (answer instanceof Error) throw answer;
  return answer;
}

/**
 * Commands one after another on one fresh connection, so their answers describe one moment as
 * nearly as the node allows. A command the node refuses gives its error in its place (the others
 * still answer); a node that cannot be reached throws.
 */
export async function redisCommands(host: string, port: number, cmds: [string, ...string[]][]): Promise<unknown[]> {
  const r = new Redis({ host, port, lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on('error', () => undefined);
  try {
    await r.connect();
    const out: unknown[] = [];
    for (const args of cmds) out.push(await r.call(...args).catch((e: Error) => { if (e.name === 'ReplyError') return e; throw e; }));
    return out;
  } finally {
    r.disconnect();
  }
}

/** fn on one fresh connection with the target's own login, closed after. */
export async function pgSession<T>(host: string, port: number, creds: StoreCredentials, fn: (query: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>, ms = 1500): Promise<T> {
  const c = new pg.Client({ host, port, ...creds, connectionTimeoutMillis: ms, query_timeout: ms, application_name: 'faultline-roles' });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return await fn(async (sql) => (await c.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export const hostPort = (n: TargetNode, port: string): number => {
  const p = n.hostPorts[port];
  if (p === undefined) throw new Error(`${n.name} publishes no ${port} port`);
  return p;
};

/**
 * The member a replica names as its upstream: by node or service name, else by port when only one
 * member listens on it (discovery may hand out an IP, or the address of a proxy in front of it).
 */
export function memberAt(nodes: readonly Pick<TargetNode, 'name' | 'service' | 'ports'>[], portName: string, host: string, port: number): string | undefined {
  const onPort = nodes.filter((n) => n.ports[portName] === port);
  return (onPort.find((n) => n.name === host || n.service === host) ?? (onPort.length === 1 ? onPort[0] : undefined))?.name;
}
