// Store kinds without Docker: the registry and what each kind can answer, the target schema's
// coded refusals, the experiment refusals that name the kinds that can (a generic store that
// cannot tell its primary), whom a role selector means when the manager and the members disagree,
// and what the observers watch on a store as its kind says.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, FaultlineError, checkExperiment, defineExperiment, loadTarget, parseTarget, storeKindNames, validateExperiment, type Experiment, type ExperimentInput } from '../../src/index.ts';
import { validateOrThrow } from '../../src/runner/validate.ts';
import { capabilitiesOf, kindNameOf, kindsThatCan } from '../../src/stores/registry.ts';
import { choosePrimary, chooseReplica, type RoleViews } from '../../src/stores/primary.ts';
import { jsonField, roleOfAnswer, RoleProbeSchema } from '../../src/stores/generic-role.ts';
import { storeInfos, storeObserverOptions } from '../../src/stores/observers.ts';
import { watchList } from '../../src/observe/watch-list.ts';
import { formatError } from '../../src/core/errors.ts';
import { ExitCodes, exitCodeFor } from '../../src/cli/exit-codes.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const tempDir = tempDirs();

const tinyPath = join(import.meta.dirname, '../fixtures/tiny/target.json');
const raw = (path?: string) => JSON.parse(JSON.stringify(loadTarget(path, {}))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function caught(fn: () => unknown): FaultlineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FaultlineError) return e;
    throw e;
  }
  throw new Error('expected a FaultlineError');
}

/** The tiny target (redis-a, redis-b) with its store `cache` declared as given. */
function tinyWith(cache: Record<string, unknown>): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const t = raw(tinyPath);
  t.composeFile = join(import.meta.dirname, '../fixtures/tiny/docker-compose.yml');
  t.stores = { cache: { members: ['redis-a', 'redis-b'], ...cache } };
  return t;
}

describe('store kind registry', () => {
  it('holds the five kinds; stores without a kind are taken as before: Patroni, Sentinel, plain Redis', () => {
    expect(storeKindNames()).toEqual(['patroni', 'postgres-streaming', 'sentinel', 'redis-replication', 'generic']);
    const ref = loadTarget(undefined, {});
    expect(kindNameOf(ref, ref.stores.postgres!)).toBe('patroni');
    expect(kindNameOf(ref, ref.stores.redis!)).toBe('sentinel');
    const tiny = loadTarget(tinyPath, {});
    expect(kindNameOf(tiny, tiny.stores.cache!)).toBe('redis-replication');
    // Postgres nodes without a Patroni port are plain streaming replication.
    const plain = raw();
    for (const n of ['pg-a', 'pg-b']) delete plain.nodes[n].hostPorts.patroni;
    const p = parseTarget(plain, join(import.meta.dirname, '../../services/mesh.json'), {});
    expect(kindNameOf(p, p.stores.postgres!)).toBe('postgres-streaming');
  });

  it('each kind says what it can answer; a generic store without a role probe can answer nothing', () => {
    const ref = loadTarget(undefined, {});
    expect([...capabilitiesOf(ref, 'postgres')].sort()).toEqual(['manager', 'observe', 'place', 'primary', 'replicas', 'upstreams']);
    expect([...capabilitiesOf(loadTarget(tinyPath, {}), 'cache')].sort()).toEqual(['observe', 'primary', 'replicas', 'upstreams']);
    const bare = parseTarget(tinyWith({ kind: 'generic' }), tinyPath, {});
    expect(capabilitiesOf(bare, 'cache').size).toBe(0);
    const probed = parseTarget(tinyWith({ kind: 'generic', role: { command: ['redis-cli', 'ROLE'] } }), tinyPath, {});
    expect([...capabilitiesOf(probed, 'cache')].sort()).toEqual(['observe', 'primary', 'replicas']);
    expect(kindsThatCan('place')).toBe('patroni, sentinel');
    expect(kindsThatCan('primary')).toBe('patroni, postgres-streaming, sentinel, redis-replication, generic (with a role probe)');
    expect(kindsThatCan('upstreams')).toBe('patroni, postgres-streaming, sentinel, redis-replication');
  });

  it('journals each store with its kind and the source its roles are judged by (none for a bare generic store)', () => {
    expect(storeInfos(loadTarget(undefined, {}))).toMatchObject({ postgres: { storeKind: 'patroni', roleSource: 'pg-recovery' }, redis: { storeKind: 'sentinel', roleSource: 'redis-role', masterName: 'mymaster' } });
    const bare = storeInfos(parseTarget(tinyWith({ kind: 'generic' }), tinyPath, {})).cache!;
    expect(bare.storeKind).toBe('generic');
    expect(bare.roleSource).toBeUndefined();
  });
});

describe('target schema for store kinds', () => {
  it('refuses an unknown kind, naming the kinds there are', () => {
    const e = caught(() => parseTarget(tinyWith({ kind: 'mongo' }), tinyPath, {}));
    expect(e.code).toBe(ErrorCodes.BAD_TARGET);
    expect(e.details).toEqual([expect.objectContaining({ path: 'stores.cache.kind', message: 'unknown store kind "mongo"', fix: expect.stringContaining('patroni, postgres-streaming, sentinel, redis-replication, generic') })]);
  });

  it("refuses a kind's missing or bad fields, each with its path: credentials, masterName, a role probe's pattern and port", () => {
    const pg = raw();
    pg.stores.postgres = { members: ['pg-a', 'pg-b'], kind: 'postgres-streaming' };
    expect(caught(() => parseTarget(pg, join(import.meta.dirname, '../../services/mesh.json'), {})).details.map((d) => d.path)).toEqual(['stores.postgres.credentials']);
    const redis = raw();
    redis.stores.redis = { members: ['redis-a', 'redis-b'], kind: 'sentinel' };
    expect(caught(() => parseTarget(redis, join(import.meta.dirname, '../../services/mesh.json'), {})).details.map((d) => d.path)).toEqual(['stores.redis.masterName']);
    const bad = caught(() => parseTarget(tinyWith({ kind: 'generic', role: { http: { port: 'admin', path: '/role' }, primary: '(' } }), tinyPath, {}));
    expect(bad.details.map((d) => d.path)).toEqual(['stores.cache.role.primary']);
    const unpublished = caught(() => parseTarget(tinyWith({ kind: 'generic', role: { http: { port: 'admin', path: '/role' } } }), tinyPath, {}));
    expect(unpublished.details.map((d) => d.path)).toEqual(['nodes.redis-a.hostPorts.admin', 'nodes.redis-b.hostPorts.admin']);
    expect(unpublished.details[0]!.fix).toMatch(/add "admin" to its hostPorts/);
    const noLogin = caught(() => parseTarget(tinyWith({ kind: 'generic', role: { sql: { port: 'redis', query: 'select 1' } } }), tinyPath, {}));
    expect(noLogin.details).toEqual([expect.objectContaining({ path: 'stores.cache.credentials', fix: expect.stringMatching(/credentials \{ user, password, database \}/) })]);
    const patroni = raw(tinyPath);
    patroni.stores.cache.kind = 'patroni';
    expect(caught(() => parseTarget(patroni, tinyPath, {})).details.map((d) => d.path)).toEqual(['nodes.redis-a.hostPorts.patroni', 'nodes.redis-b.hostPorts.patroni']);
  });
});

describe('a generic role probe', () => {
  it('reads primary or replica from the answer, by its patterns; anything else is passed on', () => {
    const r = RoleProbeSchema.parse({ command: ['x'] });
    expect(roleOfAnswer(r, ' MASTER\n')).toBe('primary');
    expect(roleOfAnswer(r, 'standby')).toBe('replica');
    expect(roleOfAnswer(r, 'starting')).toBe('starting');
    const own = RoleProbeSchema.parse({ sql: { query: 'select pg_is_in_recovery()' }, primary: '^false$', replica: '^true$' });
    expect(roleOfAnswer(own, 'false')).toBe('primary');
    expect(roleOfAnswer(own, 'true')).toBe('replica');
    expect(jsonField('{"state":{"role":"leader"}}', 'state.role')).toBe('leader');
    expect(() => jsonField('{"state":{}}', 'state.role')).toThrow(/no field state.role/);
  });
});

describe('experiments asking a store what its kind cannot answer', () => {
  const dir = tempDir('fl-store-kinds-');
  const targetAt = (name: string, cache: Record<string, unknown>) => {
    writeFileSync(join(dir, name), JSON.stringify(tinyWith(cache)));
    return name;
  };
  const bare = targetAt('bare.json', { kind: 'generic' });
  const probed = targetAt('probed.json', { kind: 'generic', role: { command: ['redis-cli', 'ROLE'] } });
  const plain = targetAt('plain.json', {});
  const exp = (target: string, input: Partial<ExperimentInput>): Experiment => {
    const r = checkExperiment(defineExperiment({ name: 'x', description: 'd', timeline: [{ wait: '1s' }], target, ...input } as ExperimentInput), join(dir, 'x.ts'));
    if (!r.value) throw new Error(JSON.stringify(r.problems));
    return r.value;
  };
  const problems = async (e: Experiment) => (await validateExperiment(e, { seed: 1, env: {} })).problems;
  const kill = { fault: { kind: 'kill' as const, node: { primaryOf: 'cache' } }, for: '5s' };

  it("refuses { primaryOf: 'cache' } on a store whose kind cannot tell its primary, naming what would work", async () => {
    const e = exp(bare, { timeline: [kill] });
    expect(await problems(e)).toEqual([{
      code: ErrorCodes.KIND_CANNOT_ANSWER, path: 'timeline[0].fault.node',
      message: `{ primaryOf: 'cache' }: store cache is of kind "generic" without a role probe, which cannot tell which member is primary`,
      fix: 'declare cache\'s kind as one that can: patroni, postgres-streaming, sentinel, redis-replication, generic (with a role probe); or name the node',
    }]);
    const err = await validateOrThrow(e, { seed: 1, env: {} }).then(() => undefined, (x: unknown) => x as FaultlineError);
    expect(err?.code).toBe(ErrorCodes.KIND_CANNOT_ANSWER);
    expect(exitCodeFor(err!.code)).toBe(ExitCodes.BAD_INPUT);
    expect(formatError(err!)).toMatch(/timeline\[0\]\.fault\.node: \{ primaryOf: 'cache' \}.*fix: declare cache's kind/);
    // The same experiment on a store that can tell: accepted.
    expect(await problems(exp(probed, { timeline: [kill] }))).toEqual([]);
    expect(await problems(exp(plain, { timeline: [kill] }))).toEqual([]);
  });

  it('finds role selectors wherever a fault or probe holds them, and refuses role probes and replicaOf alike', async () => {
    const e = exp(bare, {
      steadyState: { probes: [{ name: 'roles', role: { store: 'cache' } }] },
      timeline: [
        { fault: { kind: 'isolate', node: { replicaOf: 'cache' } }, for: '1s' },
        { waitUntil: { redis: { node: { primaryOf: 'cache' }, command: ['PING'] } }, timeout: '5s' },
      ],
    });
    expect((await problems(e)).map((p) => [p.code, p.path])).toEqual([
      [ErrorCodes.KIND_CANNOT_ANSWER, 'timeline[0].fault.node'],
      [ErrorCodes.KIND_CANNOT_ANSWER, 'steadyState.probes[0].role'],
      [ErrorCodes.KIND_CANNOT_ANSWER, 'timeline[1].waitUntil.redis.node'],
    ]);
  });

  it('refuses counting replicas where the kind cannot say whom they stream from, placement where it cannot move the primary', async () => {
    const counted = await problems(exp(probed, { steadyState: { probes: [{ name: 'roles', role: { store: 'cache', replicas: 1 } }] } }));
    expect(counted).toEqual([expect.objectContaining({ path: 'steadyState.probes[0].role.replicas', message: expect.stringMatching(/cannot tell whom each replica streams from/), fix: expect.stringContaining('patroni, postgres-streaming, sentinel, redis-replication') })]);
    const placed = await problems(exp(plain, { given: { primaries: { cache: 'redis-a' } } }));
    expect(placed).toEqual([expect.objectContaining({ code: ErrorCodes.KIND_CANNOT_ANSWER, path: 'given.primaries.cache', message: expect.stringMatching(/kind "redis-replication", which cannot move its primary/), fix: expect.stringMatching(/patroni, sentinel; or leave cache out of given.primaries/) })]);
  });

  it("refuses failover and split-brain SLOs for a store whose roles are not watched; a per-store limit may leave it out", async () => {
    const slos = await problems(exp(bare, { slos: { maxFailoverTime: '30s', maxFailovers: { cache: 1 }, noSplitBrain: true } }));
    expect(slos.map((p) => p.path)).toEqual(['slos.maxFailoverTime', 'slos.maxFailovers.cache', 'slos.noSplitBrain']);
    expect(slos[0]!.fix).toMatch(/give the limit per store, leaving cache out/);
    expect(await problems(exp(bare, { slos: { maxFailovers: {} } }))).toEqual([]);
    expect(await problems(exp(probed, { slos: { maxFailoverTime: '30s', noSplitBrain: true, maxDualPrimaryClaim: '1s' } }))).toEqual([]);
  });
});

const views = (members: Record<string, string>, manager?: string | null): RoleViews => ({
  store: 'redis', kind: 'sentinel',
  members: new Map(Object.entries(members).map(([m, role]) => [m, { role, detail: '' }])),
  ...(manager !== undefined ? { manager: { primary: manager, by: '2 of 3 Sentinels', voices: { 'sentinel-a': manager ?? 'none' } } } : {}),
});

describe('whom a role selector means', () => {
  it("a managed store's primary is the one its manager names, even while two members claim it; the disagreement is said", () => {
    const r = choosePrimary(views({ 'redis-a': 'primary', 'redis-b': 'primary' }, 'redis-b'));
    expect(r).toMatchObject({ node: 'redis-b', by: 'manager', disagree: true });
    expect(choosePrimary(views({ 'redis-a': 'replica', 'redis-b': 'primary' }, 'redis-b'))).toMatchObject({ node: 'redis-b', disagree: false });
    const none = choosePrimary(views({ 'redis-a': 'primary', 'redis-b': 'replica' }, null));
    expect(none.node).toBeUndefined();
    expect(none.why).toMatch(/manager names no primary right now \(2 of 3 Sentinels\); its members say: redis-a: primary; redis-b: replica/);
    // A replica is never the manager's primary, even one whose own answer still says primary.
    expect(chooseReplica(views({ 'redis-a': 'standby', 'redis-b': 'primary' }, 'redis-b')).node).toBe('redis-a');
  });

  it('a store without a manager has a primary only when exactly one member claims it', () => {
    expect(choosePrimary(views({ a: 'primary', b: 'replica' }))).toMatchObject({ node: 'a', by: 'members' });
    const two = choosePrimary(views({ a: 'primary', b: 'primary' }));
    expect(two.node).toBeUndefined();
    expect(two.why).toMatch(/2 members saying primary right now .*no manager to name one/);
    expect(choosePrimary(views({ a: 'down', b: 'replica' })).why).toMatch(/0 members saying primary/);
  });
});

describe('observers, as the store kinds say', () => {
  it('watch plain Postgres members by pg_is_in_recovery() alone: no Patroni port is needed', () => {
    const plain = raw();
    for (const n of ['pg-a', 'pg-b']) delete plain.nodes[n].hostPorts.patroni;
    const t = parseTarget(plain, join(import.meta.dirname, '../../services/mesh.json'), {});
    expect(caught(() => watchList(t)).details.map((d) => d.path)).toEqual(['nodes.pg-a.hostPorts.patroni', 'nodes.pg-b.hostPorts.patroni']);
    const w = watchList(t, storeObserverOptions(t).sourcesOf).filter((x) => x.node.startsWith('pg-'));
    expect(w.map((x) => `${x.node}:${x.source}`)).toEqual(['pg-a:pg-recovery', 'pg-b:pg-recovery']);
  });

  it("watch a generic store by its own role probe, and a bare one not at all", () => {
    const probed = parseTarget(tinyWith({ kind: 'generic', role: { command: ['redis-cli', 'ROLE'] } }), tinyPath, {});
    const o = storeObserverOptions(probed);
    const w = watchList(probed, o.sourcesOf);
    expect(w.map((x) => `${x.node}:${x.source}:${x.port}`)).toEqual(['redis-a:role-probe:0', 'redis-b:role-probe:0']);
    expect(o.probeOf!(w[0]!, 1000)).toHaveProperty('poll');
    const bare = parseTarget(tinyWith({ kind: 'generic' }), tinyPath, {});
    expect(watchList(bare, storeObserverOptions(bare).sourcesOf)).toEqual([]);
  });
});
