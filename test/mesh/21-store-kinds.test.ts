// Store kinds against the real engines of the reference mesh. Its Postgres nodes really are
// streaming replication and its Redis nodes really replicate, so the plain kinds
// (postgres-streaming, redis-replication) and the generic role probe read them directly, with
// nothing of Patroni or Sentinel, and must agree with what Patroni and the Sentinels say. Then the
// case the issue names: the old Redis master killed, restarted where the Sentinels cannot see it
// while they name another master; `primaryOf: 'redis'` means the Sentinels' master, and the
// journal holds both views.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTarget, readJournal, referenceTargetPath, resolveRole, runForTest, startObservers, storeMembers, type Target } from '../../src/index.ts';
import { TEST_ENV } from './env.ts';
import { rejudgedRunsDir, target, waitFor } from './helpers.ts';

const runsDir = rejudgedRunsDir('fl-kinds-', 1);
const env = { ...process.env, ...TEST_ENV, FAULTLINE_LOCK_DIR: runsDir };

/** The test mesh's target with its stores declared otherwise. */
function variant(stores: Record<string, Record<string, unknown>>): Target {
  const raw = JSON.parse(readFileSync(referenceTargetPath(), 'utf8')) as { stores: Record<string, Record<string, unknown>> };
  for (const [name, s] of Object.entries(stores)) raw.stores[name] = { members: raw.stores[name]!.members, ...s };
  return parseTarget(raw, referenceTargetPath(), { ...process.env, ...TEST_ENV });
}

const roles = (m: Map<string, { role: string }>) => Object.fromEntries([...m].map(([k, v]) => [k, v.role]));

describe('plain kinds and the generic role probe, on real engines', () => {
  it("plain Postgres: pg_is_in_recovery() and the replication views say what Patroni says, given a login that may see them", async () => {
    const superuser = { user: 'postgres', password: 'faultline', database: 'postgres' };
    const plain = variant({ postgres: { kind: 'postgres-streaming', credentials: superuser } });
    const leader = (await resolveRole(target, 'postgres', 'primary')).node!;
    const other = target.stores.postgres!.members.find((m) => m !== leader)!;
    const views = await storeMembers(plain, 'postgres');
    console.log(`[kinds] postgres-streaming: ${[...views].map(([m, v]) => `${m} ${v.role} (${v.detail})`).join('; ')}; Patroni's leader ${leader}`);
    expect(views.get(leader)).toEqual({ role: 'primary', detail: '' });
    expect(views.get(other)).toMatchObject({ role: 'replica', upstream: leader, detail: expect.stringMatching(new RegExp(`^streaming from ${leader}, lag \\d+ B`)) });
    expect(roles(views)).toEqual(roles(await storeMembers(target, 'postgres')));
    const r = await resolveRole(plain, 'postgres', 'primary');
    expect(r).toMatchObject({ node: leader, by: 'members', disagree: false });
    expect(r.views.manager).toBeUndefined();
    // The app's own login has no pg_monitor: Postgres hides whom the standby streams from, and the kind says so.
    const app = variant({ postgres: { kind: 'postgres-streaming', credentials: { user: 'app', password: 'app', database: 'app' } } });
    expect((await storeMembers(app, 'postgres')).get(other)).toEqual({ role: 'standby', detail: 'app cannot see its WAL receiver (grant it pg_monitor)' });
  });

  it("plain Redis: ROLE alone says what the Sentinels' master and its replica are", async () => {
    const plain = variant({ redis: { kind: 'redis-replication' } });
    const sentinels = await resolveRole(target, 'redis', 'primary');
    expect(sentinels).toMatchObject({ by: 'manager', disagree: false });
    expect(sentinels.views.manager!.by).toBe('3 of 3 Sentinels');
    const master = sentinels.node!;
    const views = await storeMembers(plain, 'redis');
    const replica = target.stores.redis!.members.find((m) => m !== master)!;
    expect(views.get(master)?.role).toBe('primary');
    expect(views.get(replica)).toMatchObject({ role: 'replica', upstream: master });
    expect(await resolveRole(plain, 'redis', 'primary')).toMatchObject({ node: master, by: 'members' });
  });

  it('a generic role probe reads the role by HTTP (a JSON field), by SQL and by a command in the node', async () => {
    const leader = (await resolveRole(target, 'postgres', 'primary')).node!;
    const master = (await resolveRole(target, 'redis', 'primary')).node!;
    const http = variant({ postgres: { kind: 'generic', role: { http: { port: 'patroni', path: '/patroni', json: 'role' } } } });
    const sql = variant({ postgres: { kind: 'generic', credentials: { user: 'app', password: 'app', database: 'app' }, role: { sql: { query: "SELECT CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END" } } } });
    const command = variant({ redis: { kind: 'generic', role: { command: ['sh', '-c', 'redis-cli -p "$REDIS_PORT" ROLE | head -n 1'], primary: '^master$', replica: '^slave$' } } });
    const expected = (store: 'postgres' | 'redis', p: string) => Object.fromEntries(target.stores[store]!.members.map((m) => [m, m === p ? 'primary' : 'replica']));
    expect(roles(await storeMembers(http, 'postgres'))).toEqual(expected('postgres', leader));
    expect(roles(await storeMembers(sql, 'postgres'))).toEqual(expected('postgres', leader));
    expect(roles(await storeMembers(command, 'redis'))).toEqual(expected('redis', master));
    expect((await resolveRole(command, 'redis', 'primary')).node).toBe(master);
  });

  it('the observers watch each store as its kind says: no Patroni on a plain Postgres, the role probe on a generic store', async () => {
    const t = variant({
      postgres: { kind: 'postgres-streaming', credentials: { user: 'app', password: 'app', database: 'app' } },
      redis: { kind: 'generic', role: { command: ['sh', '-c', 'redis-cli -p "$REDIS_PORT" ROLE | head -n 1'], primary: '^master$', replica: '^slave$' } },
    });
    const leader = (await resolveRole(target, 'postgres', 'primary')).node!;
    const master = (await resolveRole(target, 'redis', 'primary')).node!;
    const replica = target.stores.redis!.members.find((m) => m !== master)!;
    const o = await startObservers(t, { observe() {}, sentinelEvent() {} }, { hz: 5 });
    try {
      expect([...o.current().keys()].filter((k) => /^(pg|redis)-/.test(k)).sort()).toEqual(['pg-a:pg-recovery', 'pg-b:pg-recovery', 'redis-a:role-probe', 'redis-b:role-probe', 'redis-c:redis-role']);
      // redis-c, the fencing witness, is outside the store: watched by its own ROLE whatever the store's kind.
      // A first poll on a busy machine may time out ("down"); the next ones answer.
      const seen = () => ({ pg: o.current().get(`${leader}:pg-recovery`), master: o.current().get(`${master}:role-probe`), replica: o.current().get(`${replica}:role-probe`) });
      await waitFor('the observers reading each store by its kind', async () => JSON.stringify(seen()) === JSON.stringify({ pg: 'primary', master: 'primary', replica: 'replica' }), 20_000, 200)
        .catch((e: Error) => { throw new Error(`${e.message}; last: ${JSON.stringify(seen())}`); });
      expect(o.stats().byPoller[`${master}:role-probe`]).toBeGreaterThan(0);
    } finally {
      await o.stop();
    }
  });
});

describe("a role selector on a managed store means the manager's primary", () => {
  it("kills the Sentinels' master, not the restarted old master that still says master, and journals both views", async () => {
    const exp = {
      name: 'manager-names-primary', description: 'mesh test 21',
      given: { primaries: { redis: 'redis-a' } },
      steadyState: { probes: [{ name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before' as const, 'after' as const] }], recoverWithin: '90s' },
      timeline: [
        { concurrent: [
          // redis-a dies and the Sentinels promote redis-b; restarted after 8 s, it cannot reach
          // its peer (so it starts as a master) and the Sentinels cannot reach it (so nobody demotes it).
          { fault: { kind: 'kill' as const, node: { primaryOf: 'redis' } }, for: '8s' },
          { fault: { kind: 'isolate' as const, node: 'redis-a' }, at: '1s' },
        ] },
        { waitUntil: { role: { store: 'redis', primaries: 2 } }, timeout: '30s' },
        { fault: { kind: 'kill' as const, node: { primaryOf: 'redis' } }, for: '2s' },
      ],
    };
    const r = await runForTest(exp, { seed: 1, env, runsDir });
    const entries = readJournal(r.reports.journal).entries;
    const resolved = entries.filter((e) => e.type === 'role-resolved') as unknown as { id: string; node: string; by: string; disagree: boolean; members: Record<string, string>; manager: { primary: string; by: string; voices: Record<string, string> } }[];
    console.log(`[kinds] ${resolved.map((e) => `${e.id}: ${e.node} by ${e.by}${e.disagree ? ' (disagree)' : ''}; members ${JSON.stringify(e.members)}; manager ${JSON.stringify(e.manager)}`).join(' | ')}`);
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(resolved).toHaveLength(2);
    expect(resolved[0]).toMatchObject({ node: 'redis-a', by: 'manager', disagree: false });
    // The second kill: both members say master, the Sentinels name redis-b, and redis-b is the one killed.
    expect(resolved[1]).toMatchObject({
      node: 'redis-b', by: 'manager', disagree: true,
      members: { 'redis-a': 'primary', 'redis-b': 'primary' },
      manager: { primary: 'redis-b', by: '3 of 3 Sentinels', voices: { 'sentinel-a': 'redis-b', 'sentinel-b': 'redis-b', 'sentinel-c': 'redis-b' } },
    });
    const injected = entries.filter((e) => e.type === 'fault-injected' && (e as { kind?: string }).kind === 'kill').map((e) => (e as { description?: string }).description);
    expect(injected).toEqual(['SIGKILL to redis-a', 'SIGKILL to redis-b']);
  }, 300_000);
});
