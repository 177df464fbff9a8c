// A user's own compose project is a target like the reference mesh: test/fixtures/tiny (a Redis
// master and replica in two zones, one Toxiproxy between them) is brought up, observed and faulted
// through the public API alone. Every assertion is about the tiny project (on 127.0.0.4); the
// reference test mesh that the global set-up starts is not used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Nodes, ToxiproxyApi, checkExperiment, defineExperiment, down, runExperiment, injectFault, loadTarget, readJournal, redisCommand, resetTarget, status, up, type FaultContext } from '../../src/index.ts';
import { exec } from '../../src/runtime/exec.ts';
import { expectRejudgeAgrees, sleep, waitFor } from './helpers.ts';

const target = loadTarget(join(import.meta.dirname, '../fixtures/tiny/target.json'), { FAULTLINE_BIND: '127.0.0.4' });
const ctx: FaultContext = { target, toxiproxy: new ToxiproxyApi(target.toxiproxyUrl), nodes: new Nodes(target), runId: 'tiny' };
let seq = 0;
const inject = (spec: Record<string, unknown>) => injectFault(spec, ctx, `t${seq++}`);

/** One command, asked of the node directly on its published port (never through Toxiproxy). */
const ask = (node: string, ...args: [string, ...string[]]) => redisCommand(target.host, target.nodes[node]!.hostPorts.redis!, args);
const linkStatus = async () => /master_link_status:(\w+)/.exec(String(await ask('redis-b', 'INFO', 'replication')))?.[1];
const onReplica = (key: string) => ask('redis-b', 'GET', key);
const replicated = (key: string, value: string, timeoutMs: number) =>
  waitFor(`${key} on the replica`, async () => (await onReplica(key)) === value, timeoutMs, 100);
const toxics = async () => (await ctx.toxiproxy.list()).flatMap((p) => p.toxics.map((t) => `${p.name}:${t.stream}`));

beforeAll(async () => {
  await down(target).catch(() => undefined); // leftovers of a killed earlier run
  const t0 = Date.now();
  await up(target);
  console.log(`[own-target] ${target.projectName} up and healthy in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  await resetTarget(target).catch(() => undefined); // a failed test may leave a node paused
  const t0 = Date.now();
  await down(target);
  console.log(`[own-target] ${target.projectName} down in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(await new Nodes(target).list()).toEqual([]);
  const networks = await exec('docker', ['network', 'ls', '--quiet', '--filter', `label=com.docker.compose.project=${target.projectName}`]);
  expect(networks.stdout.trim()).toBe('');
});

describe('a compose project of your own as the target', () => {
  it('comes up healthy, with the roles asked of the nodes themselves', async () => {
    const s = await status(target);
    expect(s.up).toBe(true);
    expect(s.toxiproxy).not.toBeNull();
    expect(s.nodes.map((n) => [n.node, n.zone, n.health, n.role])).toEqual([
      ['redis-a', 'a', 'healthy', 'primary'],
      ['redis-b', 'b', 'healthy', 'replica'],
    ]);
    expect(s.links.map((l) => [l.id, l.toxics])).toEqual([['redis-b->redis-a', []], ['redis-a->redis-b', []]]);
  });

  it('replicates a write on the master to the replica', async () => {
    expect(await ask('redis-a', 'SET', 'tiny:first', 'v1')).toBe('OK');
    await replicated('tiny:first', 'v1', 5000);
  });

  it('a blackhole on the replica -> master link stops replication; healing resumes it', async () => {
    const f = await inject({ kind: 'blackhole', link: { from: 'redis-b', to: 'redis-a' } });
    try {
      expect((await status(target)).links.find((l) => l.id === 'redis-b->redis-a')?.toxics.sort()).toEqual(['timeout/downstream', 'timeout/upstream']);
      const t0 = Date.now();
      expect(await ask('redis-a', 'SET', 'tiny:cut', 'v2')).toBe('OK');
      await waitFor('the replica to see its master link down', async () => (await linkStatus()) === 'down', 20_000, 200);
      const noticed = Date.now() - t0;
      expect(await onReplica('tiny:cut')).toBeNull(); // written on the master, never arrived
      expect(await ask('redis-b', 'PING')).toBe('PONG'); // the replica itself is fine
      await f.heal();
      const t1 = Date.now();
      await replicated('tiny:cut', 'v2', 15_000);
      await waitFor('the master link up again', async () => (await linkStatus()) === 'up', 15_000, 200);
      console.log(`[own-target] blackhole redis-b -> redis-a: link down noticed after ${noticed} ms; write caught up ${Date.now() - t1} ms after heal`);
    } finally {
      await f.heal();
    }
  });

  it('pause on { primaryOf: "cache" } freezes the master only; healing unfreezes it', async () => {
    const f = await inject({ kind: 'pause', node: { primaryOf: 'cache' } });
    try {
      expect(f.description).toBe('pause redis-a');
      expect((await ctx.nodes.state('redis-a')).paused).toBe(true);
      await expect(ask('redis-a', 'PING')).rejects.toThrow();
      expect(await ask('redis-b', 'PING')).toBe('PONG');
      await f.heal();
      await waitFor('redis-a answering', async () => (await ask('redis-a', 'PING')) === 'PONG', 5000, 100);
      expect(await ask('redis-a', 'SET', 'tiny:after-pause', 'v3')).toBe('OK');
      await replicated('tiny:after-pause', 'v3', 15_000);
    } finally {
      await f.heal();
    }
  });

  it('resetTarget heals what a run left behind', async () => {
    // Left unhealed on purpose, as if the harness had been killed mid-run.
    await inject({ kind: 'blackhole', link: { from: 'redis-b', to: 'redis-a' } });
    await inject({ kind: 'pause', node: { replicaOf: 'cache' } });
    expect(await toxics()).toHaveLength(2);
    await expect(ask('redis-b', 'PING')).rejects.toThrow();
    expect(await ask('redis-a', 'SET', 'tiny:left', 'v4')).toBe('OK');
    await sleep(500);

    expect(await resetTarget(target)).toEqual({ toxicsRemoved: 2, proxiesEnabled: 0, nodesStarted: ['redis-b'], kernelRulesRemoved: 0 });
    expect(await toxics()).toEqual([]);
    expect((await ctx.nodes.state('redis-b')).paused).toBe(false);
    await replicated('tiny:left', 'v4', 15_000);
    await waitFor('every node healthy', async () => (await status(target)).up, 30_000, 500);
  });
});

describe('an experiment against your own compose project', () => {
  it('runs, heals and judges through the same runner as the reference mesh', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'fl-runs-'));
    const exp = checkExperiment(defineExperiment({
      name: 'tiny-replica-cut',
      description: 'blackhole replication for 8 s (the replica notices after its 5 s repl-timeout), then wait for it to catch up',
      target: join(import.meta.dirname, '../fixtures/tiny/target.json'),
      // While replication is cut the replica does not replicate, so it counts again only after.
      steadyState: {
        probes: [
          { name: 'cache: one master, one replica', role: { store: 'cache', replicas: 1 }, phases: ['before', 'after'] },
          { name: 'cache: one master', role: { store: 'cache' }, phases: ['during'] },
        ],
        every: '500ms',
      },
      timeline: [
        { fault: { kind: 'blackhole', link: { from: 'redis-b', to: 'redis-a' } }, for: '8s' },
        { waitUntil: { name: 'replica link up', redis: { node: 'redis-b', command: ['INFO', 'replication'], contains: 'master_link_status:up' } }, timeout: '20s' },
      ],
    })).value!;
    const r = await runExperiment(exp, { seed: 1, runsDir, env: { ...process.env, FAULTLINE_BIND: '127.0.0.4', FAULTLINE_LOCK_DIR: runsDir } });
    expect(r.project).toBe('faultline-tiny');
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(r.cleanup.verdict).toBe('ok');
    expect(r.faults[0]).toMatchObject({ id: 'f1', description: expect.stringContaining('redis-b -> redis-a') });
    expect(r.faults[0]!.healedMs! - r.faults[0]!.injectedMs!).toBeGreaterThanOrEqual(8000);
    expect(r.steadyState.during.checks).toBeGreaterThanOrEqual(8);
    const journal = readJournal(join(r.runDir, 'journal.jsonl'));
    expect(journal.complete).toBe(true);
    // The fault was real: some probe of the replica's link during the wait saw it down, or it came back at once.
    expect(journal.entries.filter((e) => e.type === 'wait-passed')).toHaveLength(1);
    expect(await toxics()).toEqual([]);
    expect(await expectRejudgeAgrees(runsDir)).toBe(1);
    rmSync(runsDir, { recursive: true, force: true });
  });
});
