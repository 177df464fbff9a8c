// The runner on the real mesh: experiments run, judged by their steady state; a breach aborts
// and heals; a failed waitUntil fails the run; Ctrl-C in the middle of a partition leaves nothing
// behind; a SIGKILLed run leaves a marker that `faultline reset` (or the next run) heals from.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExperiment, defineExperiment, readJournal, runExperiment, type ExperimentInput, type Experiment } from '../../src/index.ts';
import { exec } from '../../src/runtime/exec.ts';
import { TEST_ENV } from './env.ts';
import { rejudgedRunsDir, nodes, target, toxiproxy, waitFor } from './helpers.ts';

const runsDir = rejudgedRunsDir('fl-runs-');
const env = { ...process.env, ...TEST_ENV, FAULTLINE_RUNS_DIR: runsDir, FAULTLINE_LOCK_DIR: runsDir };
const cli = resolve(import.meta.dirname, '../../src/cli/main.ts');
const holdPartition = resolve(import.meta.dirname, '../fixtures/experiments/hold-partition.ts');

const experiment = (input: Omit<ExperimentInput, 'description'>): Experiment => {
  const r = checkExperiment(defineExperiment({ description: 'mesh test', ...input }));
  if (!r.value) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const run = (e: Experiment) => runExperiment(e, { seed: 1, env, runsDir });

/** Every way a fault could linger: toxics, disabled proxies, paused or stopped containers. */
async function leftovers(): Promise<string[]> {
  const proxies = await toxiproxy.list();
  const found = [
    ...proxies.flatMap((p) => p.toxics.map((t) => `toxic ${t.name} on ${p.name}`)),
    ...proxies.filter((p) => !p.enabled).map((p) => `proxy ${p.name} disabled`),
  ];
  for (const n of Object.keys(target.nodes)) {
    const s = await nodes.state(n);
    if (!s.running || s.paused) found.push(`node ${n} ${s.paused ? 'paused' : 'not running'}`);
  }
  return found;
}

function startCli(args: string[]): { child: ChildProcess; exited: Promise<number | null>; output: () => string; stdout: () => string } {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), (stdout += d.toString())));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, exited: new Promise((r) => child.on('close', (code) => r(code))), output: () => out, stdout: () => stdout };
}

const latest = () => (existsSync(join(runsDir, 'latest')) ? readlinkSync(join(runsDir, 'latest')) : '');
const latestJournal = () => readJournal(join(runsDir, latest(), 'journal.jsonl'));
/** Start the CLI on the hold-partition experiment and wait until its own run has injected every fault. */
async function startHolding(): Promise<ReturnType<typeof startCli>> {
  const before = latest();
  const c = startCli(['run', holdPartition]);
  await waitFor('every fault injected', async () => latest() !== before && latestJournal().entries.filter((e) => e.type === 'fault-injected').length >= 3, 30_000, 100);
  return c;
}

describe('runner', () => {
  it('runs a timeline, probes during it, heals, and passes when the steady state holds', async () => {
    const r = await run(experiment({
      name: 'latency-holds',
      steadyState: { probes: [{ name: 'redis: one master', role: { store: 'redis' } }, { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' } }], every: '300ms' },
      timeline: [{ fault: { kind: 'latency', link: { from: 'app-a', to: 'redis-a' }, latencyMs: 50 }, for: '2s' }, { wait: '500ms' }],
    }));
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(r.cleanup.verdict).toBe('ok');
    expect(r.steadyState.during.checks).toBeGreaterThanOrEqual(3);
    expect(readlinkSync(join(runsDir, 'latest'))).toBe(r.runDir.slice(runsDir.length + 1));
    expect(existsSync(join(r.runDir, 'result.json'))).toBe(true);
    const j = readJournal(join(r.runDir, 'journal.jsonl'));
    expect(j.complete).toBe(true);
    expect(j.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['run-start', 'probe', 'fault-inject', 'touch', 'fault-injected', 'fault-healed', 'cleanup', 'run-end']));
    expect(await leftovers()).toEqual([]);
  });

  it('stops at a breach of an abortOnBreach probe, heals at once, and fails', async () => {
    const r = await run(experiment({
      name: 'breach-aborts',
      steadyState: { probes: [{ name: 'replica answers', redis: { node: { replicaOf: 'redis' }, command: ['PING'] }, abortOnBreach: true, timeout: '500ms' }], every: '250ms' },
      timeline: [{ fault: { kind: 'pause', node: { replicaOf: 'redis' } }, for: '30s' }],
    }));
    expect(r.verdict, r.reasons.join('; ')).toBe('fail');
    expect(r.reasons.join()).toMatch(/breached during the run: replica answers/);
    expect(r.faults[0]!.healedMs! - r.faults[0]!.injectedMs!).toBeLessThan(5000);
    expect(r.cleanup.verdict).toBe('ok');
    expect(await leftovers()).toEqual([]);
  });

  it('fails when a waitUntil runs out of time, and still heals', async () => {
    const r = await run(experiment({
      name: 'wait-times-out',
      timeline: [
        { fault: { kind: 'link_down', link: { from: 'redis-b', to: 'redis-a' } } },
        { waitUntil: { name: 'two masters', role: { store: 'redis', primaries: 2 } }, timeout: '1s' },
      ],
    }));
    expect(r.verdict, r.reasons.join('; ')).toBe('fail');
    expect(r.reasons[0]).toMatch(/"two masters" did not pass within 1000 ms/);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a second run on the same target while one holds the lock', async () => {
    const first = run(experiment({ name: 'holds-lock', timeline: [{ wait: '2s' }] }));
    await waitFor('the first run to take the lock', async () => existsSync(join(runsDir, `${target.projectName}.json`)), 10_000, 20);
    await expect(run(experiment({ name: 'second', timeline: [{ wait: '1s' }] }))).rejects.toMatchObject({ code: 'FL_RUN_LOCKED' });
    expect((await first).verdict).toBe('pass');
  });

  it('run --json prints one document with the verdict, SLOs observed against limits, writes and cleanup', async () => {
    const c = startCli(['run', '--json', '--seed', '3', resolve(import.meta.dirname, '../fixtures/experiments/quick-latency.ts')]);
    const code = await c.exited;
    const doc = JSON.parse(c.stdout()) as Record<string, unknown> & { slos: { name: string; verdict: string; observed: number; limit: number }[]; writes: Record<string, number> };
    expect(doc).toMatchObject({ experiment: 'quick-latency', cleanup: 'ok', seed: 3, splitBrainMs: 0, failover: expect.any(Object) });
    // 300 ms each way on the app's link to HAProxy: the p99 during the fault breaks a 100 ms limit.
    const p99 = doc.slos.find((s) => s.name === 'maxP99DuringFault')!;
    expect(p99).toMatchObject({ verdict: 'fail', limit: 100 });
    expect(p99.observed).toBeGreaterThan(300);
    expect(doc.verdict).toBe('fail');
    expect(code).toBe(1);
    expect(doc.writes.attempted).toBeGreaterThanOrEqual(40);
    expect(doc.writes.lost).toBe(0);
    expect(existsSync(join(String(doc.runDir), 'junit.xml'))).toBe(true);
  });

  it('Ctrl-C in the middle of a partition heals everything; a second Ctrl-C does not stop the healing', async () => {
    const c = await startHolding();
    expect((await leftovers()).length).toBeGreaterThan(10);
    c.child.kill('SIGINT');
    // Signals of one kind do not queue: send the second once the first is being handled.
    await waitFor('the first Ctrl-C to be handled', async () => /stopping the timeline/.test(c.output()), 10_000, 5);
    c.child.kill('SIGINT');
    const code = await c.exited;
    expect(c.output()).not.toMatch(/leaving now/);
    expect(code).toBe(2); // unknown: the run was cut short
    expect(await leftovers()).toEqual([]);
    const j = latestJournal();
    expect(j.complete).toBe(true);
    expect(j.entries.find((e) => e.type === 'cleanup')).toMatchObject({ verdict: 'ok' });
  });

  it('a SIGKILLed run leaves a marker; `faultline reset` heals what it left and marks its journal', async () => {
    const c = await startHolding();
    c.child.kill('SIGKILL');
    await c.exited;
    expect(existsSync(join(runsDir, `${target.projectName}.json`))).toBe(true);
    expect((await leftovers()).some((l) => l.includes('paused'))).toBe(true);
    expect((await leftovers()).some((l) => l.includes('haproxy-b not running'))).toBe(true);
    expect(latestJournal().complete).toBe(false);
    const r = await exec(process.execPath, [cli, 'reset'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/was killed before it healed; healed \d+ toxic\(s\) on \d+ proxies, nodes (redis-b|haproxy-b)/);
    expect(await leftovers()).toEqual([]);
    expect(existsSync(join(runsDir, `${target.projectName}.json`))).toBe(false);
    expect(latestJournal().entries.at(-1)).toMatchObject({ type: 'recovered', by: 'faultline reset' });
  });

  it('the next run heals what a SIGKILLed run left before it starts', async () => {
    const c = await startHolding();
    c.child.kill('SIGKILL');
    await c.exited;
    const killedDir = readlinkSync(join(runsDir, 'latest'));
    const r = await run(experiment({ name: 'after-a-crash', steadyState: { probes: [{ name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 } }] }, timeline: [{ wait: '100ms' }] }));
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(readJournal(join(runsDir, killedDir, 'journal.jsonl')).entries.at(-1)).toMatchObject({ type: 'recovered' });
    expect(await leftovers()).toEqual([]);
  });
});
