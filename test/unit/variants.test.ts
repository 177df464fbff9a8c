// Variants without Docker: the registry's own invariants (param keys name the setting they change,
// defaults are the reference mesh's values), every check of `variant` and of --variant/--param
// with its path and fix, settings flattened and rebuilt, and what a run's journal of variants
// comes to (in force, not in force, reverted or not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkExperiment, defineExperiment, validateExperiment, type Experiment } from '../../src/index.ts';
import { ErrorCodes, isFaultlineError } from '../../src/core/errors.ts';
import { judge } from '../../src/checks/judge.ts';
import { runVerdict } from '../../src/checks/run-verdict.ts';
import { SloSchema } from '../../src/config/slo.ts';
import { checkVariants, resolveVariant, usesFromFlags, withParams } from '../../src/variants/check.ts';
import { VARIANT_NAMES, paramsByKey, variantNames, variantRegistry } from '../../src/variants/registry.ts';
import { flatSettings, flatten, unflatten } from '../../src/variants/settings.ts';
import { describeVariants } from '../../src/report/format.ts';
import { REDIS_FENCING } from '../../services/topology.ts';
import { healthy, Journal, STORES } from '../fixtures/history.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const tempDir = tempDirs();

const root = join(import.meta.dirname, '../..');
const problems = (raw: unknown) => checkVariants(raw, 'variant').problems;
const caught = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isFaultlineError(e)) return e;
    throw e;
  }
  throw new Error('expected a FaultlineError');
};

describe('variant registry', () => {
  it('types exactly its own names for experiments: a misspelt one is a compile error', () => {
    expect(variantNames()).toEqual([...VARIANT_NAMES]);
    // @ts-expect-error not a variant of the registry (npm run typecheck fails if this compiles)
    const e = defineExperiment({ name: 'x', description: 'd', timeline: [{ wait: 1 }], variant: 'async-replicaton' });
    expect(checkExperiment(e).problems.map((p) => p.path)).toEqual(['variant']);
  });

  it('names each param <system>.<setting>, unique, for a setting its variant really sets', () => {
    const keys = [...variantRegistry.values()].flatMap((k) => k.params.map((p) => p.key));
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of variantRegistry.values()) {
      const flat = flatSettings(resolveVariant({ name: k.name, params: {} }).settings);
      for (const p of k.params) {
        const [system, ...rest] = p.key.split('.');
        expect(Object.keys(flat[system as 'patroni'] ?? {}), `${k.name} ${p.key}`).toContain(rest.join('.'));
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
      }
    }
  });

  it('defaults its params to what the reference mesh ships, so an unset param changes nothing', () => {
    const patroni = (parse(readFileSync(join(root, 'services/postgres/patroni.yml'), 'utf8')) as { bootstrap: { dcs: Record<string, unknown> } }).bootstrap.dcs;
    const sentinel = readFileSync(join(root, 'services/redis/sentinel-node'), 'utf8');
    const shipped: Record<string, number> = {
      'patroni.ttl': Number(patroni.ttl), 'patroni.loop_wait': Number(patroni.loop_wait), 'patroni.retry_timeout': Number(patroni.retry_timeout),
      'sentinel.down-after-milliseconds': Number(/down-after-milliseconds \S+ (\d+)/.exec(sentinel)![1]),
      'sentinel.failover-timeout': Number(/failover-timeout \S+ (\d+)/.exec(sentinel)![1]),
      'redis.min-replicas-to-write': REDIS_FENCING.minReplicasToWrite, 'redis.min-replicas-max-lag': REDIS_FENCING.minReplicasMaxLagS,
    };
    expect(Object.fromEntries([...paramsByKey].map(([k, v]) => [k, v.param.default]))).toEqual(shipped);
    expect(patroni.synchronous_mode).toBe(true);
  });

  it('fills unset params from the defaults and computes what each variant sets', () => {
    expect(resolveVariant({ name: 'patroni-timing', params: { ttl: 20 } }).settings).toEqual({ patroni: { ttl: 20, loop_wait: 1, retry_timeout: 3 } });
    expect(resolveVariant({ name: 'sentinel-timing', params: { 'down-after-milliseconds': 3000 } }).settings).toEqual({ sentinel: { 'down-after-milliseconds': '3000', 'failover-timeout': '5000' } });
    expect(resolveVariant({ name: 'redis-persistence-off', params: {} }).settings).toEqual({ redis: { appendonly: 'no', save: '' } });
    expect(resolveVariant({ name: 'mine', params: {}, custom: { redis: { 'maxmemory-policy': 'allkeys-lru', hz: 20 } } }))
      .toMatchObject({ custom: true, settings: { redis: { 'maxmemory-policy': 'allkeys-lru', hz: '20' } } });
  });
});

describe('variant checks', () => {
  it('takes a name, { name, params }, or a list, and normalises them', () => {
    expect(checkVariants('async-replication', 'variant')).toEqual({ value: [{ name: 'async-replication', params: {} }], problems: [] });
    expect(checkVariants(['redis-fencing-off', { name: 'sentinel-timing', params: { 'failover-timeout': 9000 } }], 'variant').value)
      .toEqual([{ name: 'redis-fencing-off', params: {} }, { name: 'sentinel-timing', params: { 'failover-timeout': 9000 } }]);
  });

  it('names the field and the known variants for an unknown one', () => {
    const [p] = problems(['async-replication', 'async-replicaton']);
    expect(p).toMatchObject({ path: 'variant[1]', message: 'unknown variant "async-replicaton"' });
    for (const n of variantNames()) expect(p!.fix).toContain(n);
    expect(problems({ name: 'nope' })[0]).toMatchObject({ path: 'variant.name', message: 'unknown variant "nope"' });
  });

  it('refuses unknown params, values out of range or not whole, and Patroni\'s timing rule broken', () => {
    expect(problems({ name: 'patroni-timing', params: { tll: 10 } })[0]).toMatchObject({ path: 'variant.params.tll', fix: 'use one of: ttl, loop_wait, retry_timeout' });
    expect(problems({ name: 'sentinel-timing', params: { 'down-after-milliseconds': 10 } })[0]).toMatchObject({ path: 'variant.params.down-after-milliseconds', message: '10 is not a whole number from 100 to 3600000 (ms)' });
    expect(problems({ name: 'redis-fencing', params: { 'min-replicas-max-lag': 1.5 } })[0]!.path).toBe('variant.params.min-replicas-max-lag');
    expect(problems({ name: 'async-replication', params: { x: 1 } })[0]!.fix).toBe('async-replication takes no params');
    expect(problems({ name: 'patroni-timing', params: { ttl: 19 } })[0]).toMatchObject({ path: 'variant.params.ttl', message: '19 is not a whole number from 20 to 3600 (s)' });
    expect(problems({ name: 'patroni-timing', params: { ttl: 20, retry_timeout: 10 } })[0]).toMatchObject({ path: 'variant.params', message: expect.stringMatching(/1 \+ 2 × 10 = 21 > 20/) });
    expect(problems({ name: 'patroni-timing', params: { ttl: 21, retry_timeout: 10 } })).toEqual([]);
  });

  it('refuses two variants that set the same thing, and one named twice', () => {
    expect(problems(['async-replication', 'sync-replication'])[0]).toMatchObject({ path: 'variant[1]', message: 'variants "async-replication" and "sync-replication" both set patroni synchronous_mode' });
    expect(problems(['redis-fencing', 'redis-fencing-off'])[0]!.message).toMatch(/both set redis min-replicas-to-write/);
    expect(problems(['redis-persistence-off', 'redis-persistence-off'])[0]!.message).toBe('variant "redis-persistence-off" is named twice');
    expect(problems(['async-replication', 'sentinel-timing', 'redis-persistence-off', 'redis-fencing-off'])).toEqual([]);
  });

  it('checks a variant of one\'s own: what it sets, a name of its own, and nothing that cuts the node off', () => {
    expect(checkVariants({ name: 'lazy-fsync', redis: { appendfsync: 'no' }, sentinel: { 'parallel-syncs': 2 }, patroni: { postgresql: { parameters: { synchronous_commit: 'local' } } } }, 'variant'))
      .toMatchObject({ problems: [], value: [{ name: 'lazy-fsync', custom: { redis: { appendfsync: 'no' } } }] });
    expect(problems({ name: 'async-replication', redis: { hz: 1 } })[0]).toMatchObject({ path: 'variant.name', message: '"async-replication" is a registry variant' });
    expect(problems({ name: 'x', description: 'nothing' })[0]).toMatchObject({ path: 'variant', message: 'variant "x" sets nothing' });
    expect(problems({ name: 'x', redis: { port: 7000 } })[0]).toMatchObject({ path: 'variant.redis.port' });
    expect(problems({ name: 'x', sentinel: { 'auth-pass': 5 } })[0]).toMatchObject({ path: 'variant.sentinel.auth-pass', fix: expect.stringMatching(/use one of down-after-milliseconds, failover-timeout/) });
    expect(problems({ name: 'x', patroni: { ttl: 20 }, redis: { 'min-replicas-to-write': 0 } })).toEqual([]);
    expect(problems(['async-replication', { name: 'x', patroni: { synchronous_mode: true } }])[0]!.message).toMatch(/both set patroni synchronous_mode/);
  });
});

describe('variants in an experiment', () => {
  const base = { name: 'x', description: 'd', timeline: [{ wait: '1s' }] };
  const checked = (variant: unknown): Experiment => {
    const r = checkExperiment({ ...base, variant });
    if (!r.value) throw new Error(JSON.stringify(r.problems));
    return r.value;
  };

  it('reports a bad variant with the rest of the experiment\'s problems, and none means the target as it is', () => {
    const r = checkExperiment({ ...base, name: 'Bad', variant: ['async-replication', 'nope'] });
    expect(r.problems.map((p) => p.path)).toEqual(['name', 'variant[1]']);
    expect(r.partial!.variants).toEqual([{ name: 'async-replication', params: {} }]);
    expect(checked(undefined).variants).toEqual([]);
  });

  it('refuses a compose override (it applies only at up) and a variant the target has no system for', async () => {
    const own = checked({ name: 'more-env', compose: './override.yml' });
    const ps = (await validateExperiment(own, { seed: 1, env: {} })).problems;
    expect(ps).toEqual([expect.objectContaining({ path: 'variant.compose', fix: expect.stringMatching(/faultline up --variant <file>\.json/) })]);
    const tiny = { ...checked(['async-replication', 'redis-fencing-off']), target: join(root, 'test/fixtures/tiny/target.json') };
    const tp = (await validateExperiment(tiny, { seed: 1, env: {} })).problems;
    expect(tp.map((p) => [p.path, p.message])).toEqual([['variant[0]', 'variant "async-replication" changes patroni, and faultline-tiny has no patroni nodes with published ports']]);
    expect((await validateExperiment(checked(['async-replication', 'sentinel-timing', 'redis-fencing']), { seed: 1, env: {} })).problems).toEqual([]);
  });
});

describe('--variant and --param', () => {
  it('a param names its variant, which is added when not listed', () => {
    expect(usesFromFlags(['async-replication'], ['sentinel.down-after-milliseconds=3000', 'sentinel.failover-timeout=9000']))
      .toEqual([{ name: 'async-replication', params: {} }, { name: 'sentinel-timing', params: { 'down-after-milliseconds': 3000, 'failover-timeout': 9000 } }]);
    expect(usesFromFlags(['redis-fencing,redis-persistence-off'], ['redis.min-replicas-max-lag=5'])).toEqual([{ name: 'redis-fencing', params: { 'min-replicas-max-lag': 5 } }, { name: 'redis-persistence-off', params: {} }]);
  });

  it('refuses, with every problem and nothing touched, unknown keys, values that are not numbers, and unknown names', () => {
    const e = caught(() => usesFromFlags(['nope'], ['sentinel.down-after=3', 'patroni.ttl=soon']));
    expect(e.code).toBe(ErrorCodes.BAD_INPUT);
    expect(e.details.map((d) => d.path)).toEqual(['--param sentinel.down-after=3', '--variant[0].name', '--variant[1].params.ttl']);
    expect(e.details[0]!.fix).toContain('sentinel.down-after-milliseconds');
  });

  it('reads a variant of one\'s own from a JSON file, its compose override relative to it', () => {
    const dir = tempDir('fl-variant-');
    writeFileSync(join(dir, 'mine.json'), JSON.stringify({ name: 'mine', redis: { appendfsync: 'always' }, compose: 'override.yml' }));
    expect(usesFromFlags([join(dir, 'mine.json')], [])).toEqual([{ name: 'mine', params: {}, custom: { redis: { appendfsync: 'always' }, compose: join(dir, 'override.yml') } }]);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', redis: { bind: '0.0.0.0' } }));
    expect(caught(() => usesFromFlags([join(dir, 'bad.json')], [])).details[0]!.path).toMatch(/bad\.json\.redis\.bind$/);
  });

  it('lays params over an experiment\'s variants, as a sweep will', () => {
    expect(withParams([{ name: 'sentinel-timing', params: { 'failover-timeout': 9000 } }], { 'sentinel.down-after-milliseconds': 500, 'patroni.ttl': 12 }))
      .toEqual([{ name: 'sentinel-timing', params: { 'failover-timeout': 9000, 'down-after-milliseconds': 500 } }, { name: 'patroni-timing', params: { ttl: 12 } }]);
    expect(caught(() => withParams([], { 'patroni.tll': 1 })).code).toBe(ErrorCodes.BAD_INPUT);
  });
});

describe('settings', () => {
  it('flattens a Patroni patch to dotted keys and back', () => {
    const patch = { synchronous_mode: false, postgresql: { parameters: { work_mem: '8MB', wal_keep_size: 128 } } };
    expect(flatten(patch)).toEqual({ synchronous_mode: false, 'postgresql.parameters.work_mem': '8MB', 'postgresql.parameters.wal_keep_size': 128 });
    expect(unflatten(flatten(patch))).toEqual(patch);
  });
});

describe('a run\'s variants, from its journal', () => {
  const variants = [{ name: 'async-replication', params: {}, description: 'd', custom: false }];
  const before = { patroni: { 'pg-a': { synchronous_mode: true }, 'pg-b': { synchronous_mode: true } } };
  const values = { patroni: { 'pg-a': { synchronous_mode: false }, 'pg-b': { synchronous_mode: false } } };
  const run = () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 10_000, 100, () => ({ nodes: { postgres: 'pg-a', redis: 'redis-a' } }));
    j.fault('f1', 3000, 5000, ['pg-b'], 'SIGKILL to pg-b');
    j.ledger(9000, { postgres: { primary: 'pg-a' }, redis: { primary: 'redis-a' } });
    return j;
  };
  const verdictOf = (j: Journal) => {
    const h = j.history();
    return { h, ...runVerdict(h, judge(h, { stores: STORES, slos: SloSchema.parse({ maxLostAckedWrites: 0 }) })) };
  };

  it('in force and reverted: the run is judged as any other, and says what was read back', () => {
    const r = verdictOf(run().line(5, 'variant-apply', { variants, before }).line(900, 'variant-applied', { variants, values, checks: ['pg-b streams from pg-a: async'] })
      .line(9500, 'variant-reverted', { values: before }).line(9600, 'cleanup', { verdict: 'ok' }).complete(10_000));
    expect(r, r.reasons.join('; ')).toMatchObject({ verdict: 'pass', cleanup: 'ok' });
    expect(r.h.run.variants).toEqual({ variants, values, checks: ['pg-b streams from pg-a: async'], touched: true, reverted: { ok: true, values: before } });
    expect(describeVariants(r.h.run.variants!)).toEqual([
      'variants in force: async-replication', '  read back: patroni on pg-a, pg-b: synchronous_mode=false', '  checked: pg-b streams from pg-a: async',
      '  reverted: patroni on pg-a, pg-b: synchronous_mode=true',
    ]);
  });

  it('not in force before the timeline: unknown, with why', () => {
    const r = verdictOf(run().line(5, 'variant-failed', { variants, error: 'pg-b: Patroni did not answer GET /config' }).line(9600, 'cleanup', { verdict: 'ok' }).complete(10_000));
    expect(r.verdict).toBe('unknown');
    expect(r.reasons[0]).toBe('variant: async-replication not in force before any fault: pg-b: Patroni did not answer GET /config');
    expect(r.cleanup).toBe('ok'); // nothing was changed
  });

  it('changed and not put back: cleanup failed and the run fails, until a recovery reverts it', () => {
    const j = run().line(5, 'variant-apply', { variants, before }).line(900, 'variant-applied', { variants, values, checks: [] })
      .line(9500, 'variant-revert-failed', { error: 'pg-a: PATCH refused' }).line(9600, 'cleanup', { verdict: 'ok' }).complete(10_000);
    const r = verdictOf(j);
    expect(r).toMatchObject({ verdict: 'fail', cleanup: 'failed' });
    expect(r.reasons.join()).toMatch(/variant: async-replication not reverted: pg-a: PATCH refused/);
    const killed = run().line(5, 'variant-apply', { variants, before });
    expect(verdictOf(killed).cleanup).toBe('failed');
    const recovered = verdictOf(killed.line(20_000, 'variant-reverted', { values: before, by: 'faultline reset' }).line(20_001, 'recovered', { by: 'faultline reset' }));
    expect(recovered.cleanup).toBe('ok');
    expect(recovered.h.run.variants!.reverted).toMatchObject({ ok: true, by: 'faultline reset' });
  });
});
