// After healing, every acknowledged write (and every indeterminate one) is looked up on each
// store's final primary, straight on its published port: the ledger the checks judge loss by.
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import type { Ledger, LedgerEntry } from '../history/model.ts';
import { currentPrimary } from '../mesh/roles.ts';
import { storeOfKind } from './store-of-kind.ts';


async function foundInPostgres(t: Target, node: string, ids: string[], creds: Workload['postgres']): Promise<Set<string>> {
  const c = new pg.Client({ host: t.host, port: t.nodes[node]!.hostPorts.postgres, ...creds, connectionTimeoutMillis: 3000, query_timeout: 15_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const r = await c.query<{ id: string }>('SELECT id FROM writes WHERE id = ANY($1::text[])', [ids]);
    return new Set(r.rows.map((x) => x.id));
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function foundInRedis(t: Target, node: string, ids: string[]): Promise<Set<string>> {
  const r = new Redis({ host: t.host, port: t.nodes[node]!.hostPorts.redis, lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  await r.connect();
  try {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const values = await r.mget(...chunk.map((id) => `write:${id}`));
      chunk.forEach((id, k) => values[k] !== null && found.add(id));
    }
    return found;
  } finally {
    r.disconnect();
  }
}

/** null for a store whose final primary could not be asked: its column is unknown, never "lost". */
export async function readLedger(t: Target, ops: { id: string; outcome: string }[], w: Workload, now: () => number): Promise<Ledger> {
  const wanted = ops.filter((o) => o.outcome === 'ok' || o.outcome === 'indeterminate');
  const ids = wanted.map((o) => o.id);
  const pgStore = storeOfKind(t, 'postgres');
  const redisStore = storeOfKind(t, 'redis');
  const [pgPrimary, redisPrimary] = await Promise.all([pgStore ? currentPrimary(t, pgStore) : undefined, redisStore ? currentPrimary(t, redisStore) : undefined]);
  const [inPg, inRedis] = await Promise.all([
    pgPrimary && ids.length ? foundInPostgres(t, pgPrimary, ids, w.postgres).catch(() => null) : null,
    redisPrimary && ids.length ? foundInRedis(t, redisPrimary, ids).catch(() => null) : null,
  ]);
  const entries: LedgerEntry[] = wanted.map((o) => ({
    id: o.id, acked: o.outcome === 'ok',
    found: { postgres: inPg ? inPg.has(o.id) : null, redis: inRedis ? inRedis.has(o.id) : null },
  }));
  return { t: now(), primary: { ...(pgStore ? { [pgStore]: pgPrimary ?? null } : {}), ...(redisStore ? { [redisStore]: redisPrimary ?? null } : {}) }, entries };
}
