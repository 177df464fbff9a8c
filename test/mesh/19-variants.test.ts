// Variants on the real mesh: each registry variant (and one of one's own) applied, read back by
// this test itself from every member (Patroni GET /config and pg_stat_replication, SENTINEL
// MASTER, CONFIG GET, Postgres SHOW), and reverted (read back again); a variant survives a node's
// restart; fencing stops a cut-off Redis master within its lag bound, and with fencing off it does
// not stop; an experiment's variants are applied before its timeline and reverted after it, on
// Ctrl-C too, and a SIGKILLed run's by `faultline reset`; `faultline up --variant` applies them
// (a compose override included) and `faultline variant show` reads them.
import { spawn } from 'node:child_process';
import { existsSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyVariants, checkExperiment, currentPrimary, defineExperiment, readJournal, resolveVariant, revertVariants, runExperiment,
  toJsonReport, type ExperimentInput, type VariantUse,
} from '../../src/index.ts';
import { exec } from '../../src/runtime/exec.ts';
import { TEST_ENV } from './env.ts';
import { hostPort, inject, pgQuery, redisDirect, rejudgedRunsDir, target, waitFor, waitHealthy, nodes } from './helpers.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const tempDir = tempDirs();

const runsDir = rejudgedRunsDir('fl-variants-', 2);
const env = { ...process.env, ...TEST_ENV, FAULTLINE_RUNS_DIR: runsDir, FAULTLINE_LOCK_DIR: runsDir };
const cli = resolve(import.meta.dirname, '../../src/cli/main.ts');

const PG = ['pg-a', 'pg-b'];
const SENTINELS = ['sentinel-a', 'sentinel-b', 'sentinel-c'];
const REDIS = ['redis-a', 'redis-b', 'redis-c'];

// The test's own readers, straight from each node (not the harness's read-back).
const patroniConfig = async (node: string) => (await (await fetch(`http://${target.host}:${hostPort(node, 'patroni')}/config`)).json()) as Record<string, unknown>;
const sentinelMaster = async (node: string) => {
  const flat = await redisDirect(node, (r) => r.call('SENTINEL', 'MASTER', 'mymaster') as Promise<string[]>);
  return Object.fromEntries(flat.flatMap((v, i) => (i % 2 ? [] : [[v, flat[i + 1]!]])));
};
const redisConfig = async (node: string, key: string) => (await redisDirect(node, (r) => r.call('CONFIG', 'GET', key) as Promise<string[]>))[1];
async function syncStates(): Promise<Record<string, string>> {
  const leader = (await currentPrimary(target, 'postgres'))!;
  const p = (await (await fetch(`http://${target.host}:${hostPort(leader, 'patroni')}/patroni`)).json()) as { replication?: { application_name: string; sync_state: string }[] };
  return Object.fromEntries((p.replication ?? []).map((r) => [r.application_name, r.sync_state]));
}
/** Everything the registry variants set, as every node reads it now. */
async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const n of PG) {
    const c = await patroniConfig(n);
    out[n] = { synchronous_mode: c.synchronous_mode, synchronous_mode_strict: c.synchronous_mode_strict ?? null, ttl: c.ttl, loop_wait: c.loop_wait, retry_timeout: c.retry_timeout };
  }
  for (const n of SENTINELS) {
    const m = await sentinelMaster(n);
    out[n] = { 'down-after-milliseconds': m['down-after-milliseconds'], 'failover-timeout': m['failover-timeout'], 'parallel-syncs': m['parallel-syncs'] };
  }
  for (const n of REDIS) out[n] = Object.fromEntries(await Promise.all(['appendonly', 'save', 'appendfsync', 'min-replicas-to-write', 'min-replicas-max-lag'].map(async (k) => [k, await redisConfig(n, k)])));
  return out;
}
const only = (snap: Record<string, unknown>, nodes: string[], keys: string[]) =>
  Object.fromEntries(nodes.map((n) => [n, Object.fromEntries(keys.map((k) => [k, (snap[n] as Record<string, unknown>)[k]]))]));
const same = (nodes: string[], kv: Record<string, unknown>) => Object.fromEntries(nodes.map((n) => [n, kv]));

async function applyAndRevert(uses: VariantUse[], expectApplied: (snap: Record<string, unknown>) => Promise<void>): Promise<void> {
  const before = await snapshot();
  const t0 = performance.now();
  const a = await applyVariants(target, uses.map(resolveVariant));
  console.log(`[variants] ${uses.map((u) => u.name).join(' + ')}: in force on every node in ${a.ms} ms (${a.checks.join('; ') || 'no further checks'})`);
  await expectApplied(await snapshot());
  const r = await revertVariants(target, a.before);
  console.log(`[variants] ${uses.map((u) => u.name).join(' + ')}: reverted and read back in ${r.ms} ms (${Math.round(performance.now() - t0)} ms in all)`);
  expect(await snapshot()).toEqual(before);
}

/** The mesh's own values of what the experiments' variants change. */
const expectDefaults = (s: Record<string, unknown>) => {
  expect(only(s, PG, ['synchronous_mode'])).toEqual(same(PG, { synchronous_mode: true }));
  expect(only(s, SENTINELS, ['down-after-milliseconds'])).toEqual(same(SENTINELS, { 'down-after-milliseconds': '1000' }));
};

const experiment = (input: Omit<ExperimentInput, 'description'>) => {
  const r = checkExperiment(defineExperiment({ description: 'mesh test', ...input }));
  if (!r.value) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

describe('registry variants', () => {
  it('async replication, slower Sentinels and Redis without persistence: in force everywhere, kept by a restarted node, reverted', async () => {
    await applyAndRevert([{ name: 'async-replication', params: {} }, { name: 'sentinel-timing', params: { 'down-after-milliseconds': 3000, 'failover-timeout': 9000 } }, { name: 'redis-persistence-off', params: {} }], async (s) => {
      expect(only(s, PG, ['synchronous_mode'])).toEqual(same(PG, { synchronous_mode: false }));
      expect(Object.values(await syncStates())).toEqual(['async']);
      expect(only(s, SENTINELS, ['down-after-milliseconds', 'failover-timeout'])).toEqual(same(SENTINELS, { 'down-after-milliseconds': '3000', 'failover-timeout': '9000' }));
      expect(only(s, REDIS, ['appendonly', 'save'])).toEqual(same(REDIS, { appendonly: 'no', save: '' }));
      // CONFIG REWRITE: a node restarted under the variant comes back with it, not with its old file.
      // The witness: always a replica, so its restart moves no master.
      const restarted = 'redis-c';
      await nodes.restart(restarted, 2);
      expect(await waitFor(`${restarted} answering after its restart`, () => redisConfig(restarted, 'appendonly'), 30_000, 200)).toBe('no');
    });
    await waitFor('Patroni back to a synchronous standby', async () => Object.values(await syncStates()).includes('sync'), 30_000, 250);
    await waitHealthy();
  });

  it('strict synchronous replication, Patroni timing and Redis fencing bounds: in force everywhere, reverted', async () => {
    await applyAndRevert([{ name: 'strict-sync-replication', params: {} }, { name: 'patroni-timing', params: { ttl: 24, loop_wait: 2, retry_timeout: 4 } }, { name: 'redis-fencing', params: { 'min-replicas-max-lag': 5 } }], async (s) => {
      expect(only(s, PG, ['synchronous_mode', 'synchronous_mode_strict', 'ttl', 'loop_wait', 'retry_timeout'])).toEqual(same(PG, { synchronous_mode: true, synchronous_mode_strict: true, ttl: 24, loop_wait: 2, retry_timeout: 4 }));
      expect(Object.values(await syncStates())).toEqual(['sync']);
      expect(only(s, REDIS, ['min-replicas-to-write', 'min-replicas-max-lag'])).toEqual(same(REDIS, { 'min-replicas-to-write': '1', 'min-replicas-max-lag': '5' }));
    });
  });

  it('synchronous replication (already the mesh\'s) and Redis fencing off; and a variant of one\'s own, down to Postgres itself', async () => {
    await applyAndRevert([{ name: 'sync-replication', params: {} }, { name: 'redis-fencing-off', params: {} }], async (s) => {
      expect(only(s, PG, ['synchronous_mode'])).toEqual(same(PG, { synchronous_mode: true }));
      expect(only(s, REDIS, ['min-replicas-to-write'])).toEqual(same(REDIS, { 'min-replicas-to-write': '0' }));
    });
    const show = async () => (await pgQuery<{ log_min_duration_statement: string }>((await currentPrimary(target, 'postgres'))!, 'SHOW log_min_duration_statement'))[0]!.log_min_duration_statement;
    const shown = await show();
    const own: VariantUse = { name: 'my-tuning', params: {}, custom: { patroni: { postgresql: { parameters: { log_min_duration_statement: 250 } } }, sentinel: { 'parallel-syncs': 2 }, redis: { appendfsync: 'always' } } };
    await applyAndRevert([own], async (s) => {
      expect((await patroniConfig('pg-a')).postgresql).toMatchObject({ parameters: { log_min_duration_statement: 250 } });
      expect(only(s, SENTINELS, ['parallel-syncs'])).toEqual(same(SENTINELS, { 'parallel-syncs': '2' }));
      expect(only(s, REDIS, ['appendfsync'])).toEqual(same(REDIS, { appendfsync: 'always' }));
      await waitFor('Postgres reloaded with the patched parameter', async () => (await show()) === '250ms', 20_000, 250);
    });
    await waitFor('Postgres back to its own value', async () => (await show()) === shown, 20_000, 250);
  });
});

describe('fencing', () => {
  /** Cut every replica's link to the master; write to it directly every 100 ms for `forMs`; when did it first refuse (ms after the cut), and what did it answer? */
  async function cutMaster(forMs: number): Promise<{ refusedAfterMs: number | null; acked: number; errors: string[] }> {
    const master = (await currentPrimary(target, 'redis'))!;
    const cuts = await Promise.all(REDIS.filter((n) => n !== master).map((r) => inject({ kind: 'blackhole', link: { from: r, to: master } })));
    const t0 = performance.now();
    let refusedAfterMs: number | null = null;
    let acked = 0;
    const errors = new Set<string>();
    try {
      for (let i = 0; performance.now() - t0 < forMs; i++) {
        try {
          await redisDirect(master, (c) => c.set(`fence:${i}`, String(i)));
          acked++;
        } catch (e) {
          errors.add((e as Error).message.split(' ')[0]!);
          refusedAfterMs ??= Math.round(performance.now() - t0);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      for (const c of cuts) await c.heal();
    }
    await waitFor(`${master} taking writes again`, () => redisDirect(master, (c) => c.set('fence:after', '1')).then(() => true), 30_000, 200);
    return { refusedAfterMs, acked, errors: [...errors] };
  }

  it('a master cut off from every replica refuses writes within the lag bound (2 s + 2 s); with fencing off it takes them all', async () => {
    const on = await cutMaster(7000);
    console.log(`[fencing] master cut off from its replica and the witness: NOREPLICAS ${on.refusedAfterMs} ms after the cut (bound: 4000 ms), ${on.acked} writes acknowledged before`);
    expect(on.errors).toEqual(['NOREPLICAS']);
    expect(on.refusedAfterMs).not.toBeNull();
    // The bound is min-replicas-max-lag (2 s) + up to 1 s since the last ACK + up to 1 s until Redis checks; scheduling on a busy host adds a little.
    expect(on.refusedAfterMs!).toBeLessThan(5000);
    expect(on.acked).toBeGreaterThan(0);

    const a = await applyVariants(target, [resolveVariant({ name: 'redis-fencing-off', params: {} })]);
    try {
      const off = await cutMaster(7000);
      console.log(`[fencing] fencing off: ${off.acked} writes acknowledged in 7 s of the same cut, ${off.errors.length ? off.errors.join(', ') : 'none refused'}`);
      expect(off.refusedAfterMs).toBeNull();
    } finally {
      await revertVariants(target, a.before);
    }
    await waitHealthy();
  });
});

describe('variants in an experiment', () => {
  const latest = () => (existsSync(join(runsDir, 'latest')) ? readlinkSync(join(runsDir, 'latest')) : '');
  const latestJournal = () => readJournal(join(runsDir, latest(), 'journal.jsonl'));

  it('are applied and verified before the timeline, in force during it, reverted after it, and reported with their read-back values', async () => {
    const r = await runExperiment(experiment({
      name: 'under-variants',
      variant: ['async-replication', { name: 'sentinel-timing', params: { 'down-after-milliseconds': 2000 } }],
      steadyState: { probes: [{ name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] }] },
      timeline: [{ waitUntil: { name: 'no synchronous standby', sql: { node: { primaryOf: 'postgres' }, database: 'app', user: 'app', password: 'app', query: 'SHOW synchronous_standby_names', expect: '' } }, timeout: '5s' }],
    }), { seed: 1, env, runsDir });
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(r.cleanup.verdict).toBe('ok');
    const types = readJournal(r.reports.journal).entries.map((e) => e.type);
    const at = (t: string) => types.indexOf(t);
    expect(at('variant-apply')).toBeGreaterThan(-1);
    expect([at('variant-apply'), at('variant-applied'), at('probe'), at('primaries'), at('wait-passed'), at('timeline-done'), at('variant-reverted'), at('run-end')])
      .toEqual([...[at('variant-apply'), at('variant-applied'), at('probe'), at('primaries'), at('wait-passed'), at('timeline-done'), at('variant-reverted'), at('run-end')]].sort((x, y) => x - y));
    expect(r.variants).toMatchObject({
      variants: [{ name: 'async-replication', params: {} }, { name: 'sentinel-timing', params: { 'down-after-milliseconds': 2000, 'failover-timeout': 5000 } }],
      values: { patroni: same(PG, { synchronous_mode: false }), sentinel: same(SENTINELS, { 'down-after-milliseconds': '2000', 'failover-timeout': '5000' }) },
      reverted: { ok: true, values: { patroni: same(PG, { synchronous_mode: true }), sentinel: same(SENTINELS, { 'down-after-milliseconds': '1000', 'failover-timeout': '5000' }) } },
    });
    expect(toJsonReport(r).variants).toEqual(r.variants);
    expectDefaults(await snapshot());
  });

  it('Ctrl-C reverts them; a SIGKILLed run\'s are reverted by `faultline reset` from its journal', async () => {
    const fixture = resolve(import.meta.dirname, '../fixtures/experiments/hold-variant.ts');
    const start = async () => {
      const before = latest();
      const child = spawn(process.execPath, [cli, 'run', fixture], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      await waitFor('the variants in force in the run', async () => latest() !== before && latestJournal().entries.some((e) => e.type === 'variant-applied'), 60_000, 100);
      expect((await patroniConfig('pg-b')).synchronous_mode).toBe(false);
      return { child, exited, err: () => err };
    };

    const interrupted = await start();
    interrupted.child.kill('SIGINT');
    expect(await interrupted.exited, interrupted.err()).toBe(2);
    expect(latestJournal().entries.find((e) => e.type === 'variant-reverted')).toBeDefined();
    expect((await patroniConfig('pg-a')).synchronous_mode).toBe(true);
    expect((await sentinelMaster('sentinel-c'))['down-after-milliseconds']).toBe('1000');

    const killed = await start();
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect((await patroniConfig('pg-a')).synchronous_mode).toBe(false); // nothing reverted it
    const r = await exec(process.execPath, [cli, 'reset'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/variant async-replication, sentinel-timing reverted/);
    expectDefaults(await snapshot());
    const j = latestJournal().entries;
    expect(j.slice(-2)).toMatchObject([{ type: 'variant-reverted', by: 'faultline reset' }, { type: 'recovered', by: 'faultline reset' }]);
    await waitFor('Patroni back to a synchronous standby', async () => Object.values(await syncStates()).includes('sync'), 30_000, 250);
  });
});

describe('faultline up --variant', () => {
  it('lays a compose override over the mesh and applies the rest once healthy; variant show reads them; up without them puts the containers back', async () => {
    const dir = tempDir('fl-up-variant-');
    writeFileSync(join(dir, 'override.yml'), 'services:\n  haproxy-b:\n    environment:\n      FL_VARIANT_MARK: "on"\n');
    writeFileSync(join(dir, 'marked.json'), JSON.stringify({ name: 'marked', compose: 'override.yml', sentinel: { 'down-after-milliseconds': 1500 } }));
    const envOf = async () => (await nodes.environment('haproxy-b')).filter((l) => l.startsWith('FL_VARIANT_MARK='));
    const up = await exec(process.execPath, [cli, 'up', '--variant', join(dir, 'marked.json')], { env, timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/compose on haproxy-b: environment\.FL_VARIANT_MARK="on"/);
    expect(up.stdout).toMatch(/sentinel on sentinel-a, sentinel-b, sentinel-c: down-after-milliseconds="1500"/);
    expect(await envOf()).toEqual(['FL_VARIANT_MARK=on']);
    const show = await exec(process.execPath, [cli, 'variant', 'show', '--json'], { env });
    const states = JSON.parse(show.stdout) as { name: string; state: string; params: Record<string, unknown> }[];
    expect(states.find((v) => v.name === 'sentinel-timing')).toMatchObject({ state: 'not in force', params: { 'down-after-milliseconds': '1500' } });
    expect(states.find((v) => v.name === 'sync-replication')!.state).toBe('in force');
    // The registry's defaults are the mesh's own values: applying them is how `up` goes back.
    const back = await exec(process.execPath, [cli, 'up', '--variant', 'sentinel-timing'], { env, timeoutMs: 300_000 });
    expect(back.code, back.stderr).toBe(0);
    expect(await envOf()).toEqual([]);
    expect(only(await snapshot(), SENTINELS, ['down-after-milliseconds'])).toEqual(same(SENTINELS, { 'down-after-milliseconds': '1000' }));
    await waitHealthy();
  });
});
