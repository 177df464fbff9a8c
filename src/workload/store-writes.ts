// Writes straight to the stores, without the app (the app client's `direct` lanes): INSERT into
// the app's own table through a Postgres write endpoint, SET on the Redis master found through the
// Sentinels, both on published ports, so the ledger reads them back as it reads the app's.
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import { classifyStoreError } from './classify.ts';
import type { Send } from './open-loop.ts';
import { postgresEndpoint, sentinelRoute } from './store-connections.ts';

const outcomeOf = (e: Error) => ({ outcome: classifyStoreError(e), error: e.message.slice(0, 200) });

export function postgresWriter(t: Target, w: Workload): { send: Send; close(): Promise<void> } {
  const endpoint = postgresEndpoint(t);
  if (!endpoint) throw new Error('no Postgres write endpoint publishes a "postgres" port');
  const pool = new pg.Pool({ host: t.host, port: endpoint.port, ...w.postgres, max: 32, connectionTimeoutMillis: w.timeout, query_timeout: w.timeout, idleTimeoutMillis: 2000 });
  pool.on('error', () => undefined);
  return {
    send: async (_client, id) => {
      try {
        const r = await pool.query<{ node: string }>('INSERT INTO writes (id, value, zone) VALUES ($1, $1, $2) RETURNING node', [id, 'direct']);
        // The row's node is set by the server that committed it (a per-node setting), whatever HAProxy chose.
        return { outcome: 'ok', ...(r.rows[0]?.node ? { nodes: { [endpoint.store]: r.rows[0].node } } : {}) };
      } catch (e) {
        return outcomeOf(e as Error);
      }
    },
    close: () => pool.end(),
  };
}

/** A client of a Redis store's master as the Sentinels name it, following failovers. */
export function sentinelClient(t: Target, timeoutMs: number, storeName?: string): { redis: Redis; route: NonNullable<ReturnType<typeof sentinelRoute>> } {
  const route = sentinelRoute(t, storeName);
  if (!route) throw new Error('no Redis store with Sentinels publishing a "sentinel" port');
  const redis = new Redis({
    sentinels: route.sentinels, name: route.name, role: 'master', natMap: route.natMap, failoverDetector: true,
    connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 1, enableOfflineQueue: true,
    retryStrategy: (n: number) => Math.min(50 * n, 500), reconnectOnError: (e: Error) => (e.message.startsWith('READONLY') ? 2 : false),
  });
  redis.on('error', () => undefined);
  return { redis, route };
}

/** The node that carried the last reply on this connection (its remote port, published per node). */
export const carrier = (r: Redis, byPort: Map<number | undefined, string>): string | undefined => byPort.get(r.stream?.remotePort);

export function redisWriter(t: Target, w: Workload): { send: Send; close(): Promise<void> } {
  const { redis: r, route } = sentinelClient(t, w.timeout);
  return {
    send: async (_client, id) => {
      try {
        await r.set(`write:${id}`, id);
        // Read before any other await: ioredis swaps `stream` only after this socket closed and a
        // new one connected (later I/O events), so it is the socket that carried the reply.
        const node = carrier(r, route.byPort);
        return { outcome: 'ok', ...(node ? { nodes: { [route.store]: node } } : {}) };
      } catch (e) {
        return outcomeOf(e as Error);
      }
    },
    close: async () => r.disconnect(),
  };
}
