// A write through app-a is readable through app-b and present on both stores' replicas.
import { describe, expect, it } from 'vitest';
import { currentPrimary } from '../../src/index.ts';
import { ms, pgQuery, read, redisDirect, target, waitFor, write } from './helpers.ts';

describe('writes through the app', () => {
  it('commit to Postgres and Redis and reach every replica', async () => {
    const id = `repl-${Date.now()}`;
    const w = await write('app-a', id);
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ app: 'app-a', redis: 'OK' });

    const r = await read('app-b', id);
    expect(r.status).toBe(200);
    expect(r.body.postgres.found).toBe(true);
    expect(r.body.redis.found).toBe(true);

    const pgPrimary = await currentPrimary(target, 'postgres');
    const pgReplica = target.stores.postgres!.members.find((m) => m !== pgPrimary)!;
    const t0 = performance.now();
    const rows = await waitFor('write on the Postgres replica', async () => {
      const rs = await pgQuery<{ node: string }>(pgReplica, 'SELECT node FROM writes WHERE id = $1', [id]);
      return rs.length ? rs : undefined;
    }, 5000);
    expect(rows[0]!.node).toBe(pgPrimary); // recorded by the node that accepted it
    const recovery = await pgQuery<{ r: boolean }>(pgReplica, 'SELECT pg_is_in_recovery() AS r');
    expect(recovery[0]!.r).toBe(true);

    const redisPrimary = await currentPrimary(target, 'redis');
    const redisReplica = target.stores.redis!.members.find((m) => m !== redisPrimary)!;
    const value = await waitFor('write on the Redis replica', () => redisDirect(redisReplica, (c) => c.get(`write:${id}`).then((v) => v ?? undefined)), 5000);
    expect(value).toBe(id);
    console.log(`[replication] write visible on ${pgReplica} and ${redisReplica} within ${ms(t0)} ms of the ack`);
  });
});
