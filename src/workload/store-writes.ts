// Writes straight to the stores, without the app: INSERT through a Postgres write endpoint
// (HAProxy, which routes to the primary), SET on the Redis master found through the Sentinels.
// Both from the host, on published ports; Sentinel names masters by their mesh address, which
// natMap turns into the published one.
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import type { Send } from './open-loop.ts';
import { storeOfKind } from './store-of-kind.ts';

// Refused before anything reached the store, or refused by it (a fenced Redis master answers
// NOREPLICAS without writing): certainly not written.
const NOT_SENT = /ECONNREFUSED|EHOSTUNREACH|read-only transaction|READONLY|NOREPLICAS|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|enableOfflineQueue|All sentinels are unreachable/i;
const outcomeOf = (e: Error) => ({ outcome: NOT_SENT.test(`${(e as { code?: string }).code ?? ''} ${e.message}`) ? 'fail' as const : 'indeterminate' as const, error: e.message.slice(0, 200) });

const storeFor = (t: Target, kind: string) => {
  const name = storeOfKind(t, kind);
  return name ? { name, ...t.stores[name]! } : undefined;
};

export function postgresWriter(t: Target, w: Workload): { send: Send; close(): Promise<void> } {
  const store = storeFor(t, 'postgres') as { name: string; members: string[]; writeEndpoints?: string[] } | undefined;
  const endpoint = [...(store?.writeEndpoints ?? []), ...(store?.members ?? [])].find((n) => t.nodes[n]?.hostPorts.postgres);
  if (!endpoint) throw new Error('no Postgres write endpoint publishes a "postgres" port');
  const pool = new pg.Pool({ host: t.host, port: t.nodes[endpoint]!.hostPorts.postgres, ...w.postgres, max: 32, connectionTimeoutMillis: w.timeout, query_timeout: w.timeout, idleTimeoutMillis: 2000 });
  pool.on('error', () => undefined);
  return {
    send: async (_client, id) => {
      try {
        const r = await pool.query<{ node: string }>('INSERT INTO writes (id, value, zone) VALUES ($1, $1, $2) RETURNING node', [id, 'direct']);
        // The row's node is set by the server that committed it (a per-node setting), whatever HAProxy chose.
        return { outcome: 'ok', ...(r.rows[0]?.node ? { nodes: { [store!.name]: r.rows[0].node } } : {}) };
      } catch (e) {
        return outcomeOf(e as Error);
      }
    },
    close: () => pool.end(),
  };
}

export function redisWriter(t: Target, w: Workload): { send: Send; close(): Promise<void> } {
  const store = storeFor(t, 'redis') as { name: string; members: string[]; masterName?: string } | undefined;
  const sentinels = Object.entries(t.nodes).filter(([, n]) => n.kind === 'sentinel' && n.hostPorts.sentinel).map(([, n]) => ({ host: t.host, port: n.hostPorts.sentinel! }));
  if (!store || !sentinels.length) throw new Error('no Redis store with Sentinels publishing a "sentinel" port');
  // Sentinels announce masters and each other by mesh address; both map to published ports.
  const published = (name: string, port: string) => [`${name}:${t.nodes[name]!.ports[port]}`, { host: t.host, port: t.nodes[name]!.hostPorts[port]! }] as const;
  const natMap = Object.fromEntries([
    ...store.members.map((m) => published(m, 'redis')),
    ...Object.entries(t.nodes).filter(([, n]) => n.kind === 'sentinel' && n.hostPorts.sentinel).map(([name]) => published(name, 'sentinel')),
  ]);
  const r = new Redis({
    sentinels, name: store.masterName ?? 'mymaster', role: 'master', natMap, failoverDetector: true,
    connectTimeout: w.timeout, commandTimeout: w.timeout, maxRetriesPerRequest: 1, enableOfflineQueue: true,
    retryStrategy: (n: number) => Math.min(50 * n, 500), reconnectOnError: (e: Error) => (e.message.startsWith('READONLY') ? 2 : false),
  });
  r.on('error', () => undefined);
  // Connections go to published ports (natMap), one per node: the socket's remote port names it.
  const byPort = new Map(store.members.map((m) => [t.nodes[m]!.hostPorts.redis, m]));
  return {
    send: async (_client, id) => {
      try {
        await r.set(`write:${id}`, id);
        // Read before any other await: ioredis swaps `stream` only after this socket closed and a
        // new one connected (later I/O events), so it is the socket that carried the reply.
        const node = byPort.get(r.stream?.remotePort);
        return { outcome: 'ok', ...(node ? { nodes: { [store.name]: node } } : {}) };
      } catch (e) {
        return outcomeOf(e as Error);
      }
    },
    close: async () => r.disconnect(),
  };
}
