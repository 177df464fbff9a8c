// Every acknowledged write names the node of each store that took it, through both apps and
// straight to both stores, and the named node is the primary: before and after a Redis failover.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentPrimary, readJournal, runForTest, storeRoles } from '../../src/index.ts';
import { TEST_ENV } from './env.ts';
import { WorkloadSchema } from '../../src/config/workload.ts';
import { appWriter } from '../../src/workload/app-writes.ts';
import { startOpenLoop, type Send } from '../../src/workload/open-loop.ts';
import { postgresWriter, redisWriter } from '../../src/workload/store-writes.ts';
import { expectRejudgeAgrees, inject, redisDirect, sleep, target, waitFor, waitHealthy } from './helpers.ts';

interface Ended { id: string; client: string; outcome: string; error?: string; nodes?: Record<string, string>; endT: number }

const storesOf = (client: string) => (client === 'postgres' || client === 'redis' ? [client] : ['postgres', 'redis']);

function startWorkload(rate: number, prefix: string) {
  const w = WorkloadSchema.parse({ rate, direct: ['postgres', 'redis'], timeout: 3000 });
  const writers = { app: appWriter(target, w.timeout), postgres: postgresWriter(target, w), redis: redisWriter(target, w) };
  const send: Send = (client, id) => (client === 'postgres' || client === 'redis' ? writers[client] : writers.app).send(client, id);
  const clientOf = new Map<string, string>();
  const ended: Ended[] = [];
  const loop = startOpenLoop({
    rate, clients: ['app-a', 'app-b', 'postgres', 'redis'], idPrefix: prefix, maxInFlight: 500, now: () => performance.now(), send,
    sink: { invoke: (o) => clientOf.set(o.id, o.client), end: (o) => ended.push({ ...o, client: clientOf.get(o.id)!, endT: performance.now() }) },
  });
  return {
    ended,
    async stop() {
      await loop.stop();
      await Promise.all(Object.values(writers).map((x) => x.close()));
      return ended;
    },
  };
}

/** Acknowledged writes that do not name, for each store they went to, the expected node. */
const misnamed = (ops: Ended[], expected: Record<string, string>) =>
  ops.filter((o) => o.outcome === 'ok' && storesOf(o.client).some((s) => o.nodes?.[s] !== expected[s]));

/** What each Sentinel names as the master right now: evidence for a failure message. */
const sentinelViews = () => Promise.all(['sentinel-a', 'sentinel-b', 'sentinel-c'].map((s) =>
  redisDirect(s, (r) => r.call('SENTINEL', 'get-master-addr-by-name', String((target.stores.redis as { masterName?: string }).masterName ?? 'mymaster')))
    .then((v) => `${s}: ${(v as string[]).join(':')}`, (e: Error) => `${s}: ${e.message}`))).then((v) => v.join(', '));

describe('which node took each write', () => {
  let stop: (() => Promise<unknown>) | undefined;
  let heal: (() => Promise<unknown>) | undefined;
  // The kill is healed whether or not the test got that far: the next file needs the whole mesh.
  afterAll(async () => {
    await stop?.();
    if (heal) {
      await heal();
      await waitHealthy();
    }
  });

  it('names the primary of each store, and the new Redis master after a failover', async () => {
    const pgPrimary = (await currentPrimary(target, 'postgres'))!;
    const redisMaster = (await currentPrimary(target, 'redis'))!;
    const redisReplica = target.stores.redis!.members.find((m) => m !== redisMaster)!;
    const load = startWorkload(40, 'nodes');
    stop = load.stop;
    await sleep(2500);

    const before = load.ended.slice();
    const okBefore = before.filter((o) => o.outcome === 'ok');
    expect(new Set(okBefore.map((o) => o.client))).toEqual(new Set(['app-a', 'app-b', 'postgres', 'redis']));
    expect(misnamed(before, { postgres: pgPrimary, redis: redisMaster })).toEqual([]);

    const fault = await inject({ kind: 'kill', node: { primaryOf: 'redis' } });
    heal = fault.heal;
    const killedAt = performance.now(); // the master is dead once the kill returns
    await waitFor(`${redisReplica} promoted`, async () => (await currentPrimary(target, 'redis')) === redisReplica, 20_000, 50);
    const promotedAt = performance.now();
    // Writes go on until every client has been acknowledged by the new master a few times.
    const okAfter = (c: string) => load.ended.filter((o) => o.client === c && o.outcome === 'ok' && o.endT > promotedAt).length;
    await waitFor('every client acknowledged after the switch', async () => ['app-a', 'app-b', 'redis'].every((c) => okAfter(c) >= 5), 20_000, 100).catch(async (e: Error) => {
      const errors = [...new Set(load.ended.filter((o) => o.endT > promotedAt && o.outcome !== 'ok').map((o) => `${o.client}: ${o.error}`))].slice(0, 5);
      throw new Error(`${e.message}; acked after the switch: ${['app-a', 'app-b', 'redis'].map((c) => `${c} ${okAfter(c)}`).join(', ')}; errors: ${errors.join(' | ')}; Sentinels now: ${await sentinelViews()}`);
    });
    const all = await load.stop();
    stop = undefined;

    const during = all.filter((o) => o.endT > killedAt && o.endT <= promotedAt);
    const after = all.filter((o) => o.endT > promotedAt);
    const redisAcked = (os: Ended[]) => os.filter((o) => o.outcome === 'ok' && storesOf(o.client).includes('redis'));
    const unnamed = all.filter((o) => o.outcome !== 'ok' && o.nodes).length;
    console.log(`[write-nodes] ${okBefore.length} acked before the kill, all naming ${pgPrimary} and ${redisMaster}; ` +
      `${fault.description}, ${redisReplica} master after ${Math.round(promotedAt - killedAt)} ms; ` +
      `${redisAcked(during).length} Redis acks in between (named: ${[...new Set(redisAcked(during).map((o) => o.nodes?.redis))].join(', ') || '-'}); ` +
      `${redisAcked(after).length} Redis acks after, named: ${[...new Set(redisAcked(after).map((o) => o.nodes?.redis ?? 'none'))].join(', ')}; ` +
      `${unnamed} unacknowledged writes carried a node (a Postgres commit before a Redis failure)`);
    // Between the kill and the switch nothing can have been acknowledged by the dead master.
    expect(redisAcked(during).filter((o) => o.nodes?.redis === redisMaster && o.endT > killedAt + 50)).toEqual([]);
    expect(misnamed(after, { postgres: pgPrimary, redis: redisReplica })).toEqual([]);
    expect(redisAcked(after).length).toBeGreaterThan(10);

    heal = undefined;
    await fault.heal();
    await waitHealthy();
  }, 150_000);
});

describe('the journal', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'fl-nodes-'));
  afterAll(async () => {
    try {
      expect(await expectRejudgeAgrees(runsDir)).toBe(1);
    } finally {
      rmSync(runsDir, { recursive: true, force: true });
    }
  });

  it('records on each op-end the node of every store that acknowledged the write', async () => {
    // A restarted ex-master is a second master for a while: wait until each store has one primary and one streaming replica.
    const settled = async (store: string) => [...(await storeRoles(target, store)).values()].sort().join() === 'primary,replica';
    await waitFor('both stores settled', async () => (await settled('postgres')) && (await settled('redis')), 60_000, 250);
    const [pg, redis] = await Promise.all([currentPrimary(target, 'postgres'), currentPrimary(target, 'redis')]);
    const r = await runForTest({
      name: 'write-nodes', description: 'mesh test: no faults, writes through both apps and straight to both stores',
      workload: { rate: 40, direct: ['postgres', 'redis'], warmup: '2s', cooldown: '1s' },
      timeline: [{ wait: '1s' }],
    }, { seed: 1, env: { ...process.env, ...TEST_ENV, FAULTLINE_LOCK_DIR: runsDir }, runsDir });
    const entries = readJournal(r.reports.journal).entries as unknown as { type: string; op?: string; client?: string; outcome?: string; nodes?: Record<string, string> }[];
    const clientOf = new Map(entries.filter((e) => e.type === 'op-invoke').map((e) => [e.op, e.client!]));
    const acked = entries.filter((e) => e.type === 'op-end' && e.outcome === 'ok').map((e) => ({ ...e, client: clientOf.get(e.op)! }));
    console.log(`[write-nodes] journal: ${acked.length} acknowledged op-end lines, e.g. ${JSON.stringify(acked.find((e) => e.client === 'app-a'))}`);
    expect(new Set(acked.map((e) => e.client))).toEqual(new Set(['app-a', 'app-b', 'postgres', 'redis']));
    expect(acked.filter((e) => storesOf(e.client).some((s) => e.nodes?.[s] !== { postgres: pg, redis }[s]))).toEqual([]);
  }, 90_000);
});
