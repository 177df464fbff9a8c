// Asking one node something on its published (un-proxied) port, giving up fast: for role
// queries and probes, never for workloads.
import { Redis } from 'ioredis';
import type { TargetNode } from '../config/target.ts';

export async function getJson(url: string, ms = 1500): Promise<unknown> {
  const r = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return r.json();
}

/** One command on a fresh connection. */
export async function redisCommand(host: string, port: number, args: [string, ...string[]]): Promise<unknown> {
  const r = new Redis({ host, port, lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await r.call(...args);
  } finally {
    r.disconnect();
  }
}

export const hostPort = (n: TargetNode, port: string): number => {
  const p = n.hostPorts[port];
  if (p === undefined) throw new Error(`${n.name} publishes no ${port} port`);
  return p;
};
