// partition_kernel in the experiment runner on the real mesh: the same cut of the Redis master,
// once through Toxiproxy (`isolate`) and once in the kernel, each run and judged by the runner and
// compared; Ctrl-C in the middle of a kernel cut heals it; a SIGKILLed run's iptables rules are
// healed by the next run, or by `faultline reset` even when its journal lost the record of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHistory, checkExperiment, defineExperiment, readJournal, runExperiment, type Experiment, type ExperimentInput, type FaultInput, type RunResult } from '../../src/index.ts';
import { exec } from '../../src/runtime/exec.ts';
import { rulesWithComment } from '../../src/runtime/iptables.ts';
import { TEST_ENV } from './env.ts';
import { nodes, rejudgedRunsDir, target, toxiproxy, waitFor } from './helpers.ts';

const runsDir = rejudgedRunsDir('fl-kernel-runs-');
const env = { ...process.env, ...TEST_ENV, FAULTLINE_RUNS_DIR: runsDir, FAULTLINE_LOCK_DIR: runsDir };
const cli = resolve(import.meta.dirname, '../../src/cli/main.ts');
const holdKernelCut = resolve(import.meta.dirname, '../fixtures/experiments/hold-kernel-cut.ts');

const experiment = (input: Omit<ExperimentInput, 'description'>): Experiment => {
  const r = checkExperiment(defineExperiment({ description: 'mesh test', ...input }));
  if (!r.value) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

/** fl- rules (of `prefix`) in every node's netns and Toxiproxy's. */
async function kernelRules(prefix = 'fl-'): Promise<number> {
  let n = 0;
  for (const name of [...Object.keys(target.nodes), target.toxiproxy.service]) {
    const pid = await nodes.pid(name);
    if (pid) n += (await rulesWithComment(pid, prefix)).length;
  }
  return n;
}
const toxicCount = async () => (await toxiproxy.list()).reduce((n, p) => n + p.toxics.length, 0);

function startCli(args: string[]): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, exited: new Promise((r) => child.on('close', (code) => r(code))), output: () => out };
}
const latest = () => (existsSync(join(runsDir, 'latest')) ? readlinkSync(join(runsDir, 'latest')) : '');
const latestJournal = () => join(runsDir, latest(), 'journal.jsonl');

/** The CLI on hold-kernel-cut, once its own run has cut: the run's id and its process. */
async function startCutting(): Promise<ReturnType<typeof startCli> & { runId: string }> {
  const before = latest();
  const c = startCli(['run', holdKernelCut]);
  await waitFor('the kernel cut injected', async () => latest() !== before && readJournal(latestJournal()).entries.some((e) => e.type === 'fault-injected'), 60_000, 100);
  const runId = String(readJournal(latestJournal()).entries[0]!.runId);
  return { ...c, runId };
}

/** What the runner journaled of f1, and what the history makes of it. */
function recorded(r: RunResult) {
  const entries = readJournal(r.reports.journal).entries;
  const of = (type: string) => entries.filter((e) => e.type === type && e.id === 'f1');
  return {
    types: entries.filter((e) => e.id === 'f1').map((e) => e.type).filter((t, i, a) => a.indexOf(t) === i),
    touches: of('touch').map((e) => String(e.key)),
    installMs: Math.round(of('fault-injected')[0]!.t - of('fault-inject')[0]!.t),
    fault: buildHistory(entries).faults[0]!,
  };
}

describe('partition_kernel in the runner', () => {
  it('cuts the Redis master as `isolate` does, judged the same way; the runner journals and heals both', async () => {
    const cut = (name: string, fault: FaultInput) => experiment({
      name,
      // Not "during": while the old master is cut off it still says master, beside the new one.
      steadyState: { probes: [{ name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] }], recoverWithin: '60s' },
      workload: { rate: 20, warmup: '1s', cooldown: '2s' },
      timeline: [{ fault, for: '6s' }],
    });
    const runs: Record<string, { r: RunResult; rec: ReturnType<typeof recorded>; primary: string }> = {};
    for (const [name, fault] of [['cut-proxy', { kind: 'isolate', node: { primaryOf: 'redis' } }], ['cut-kernel', { kind: 'partition_kernel', isolate: { primaryOf: 'redis' } }]] as const) {
      const r = await runExperiment(cut(name, fault), { seed: 1, env, runsDir });
      const rec = recorded(r);
      const primary = /isolate (redis-[ab])/.exec(r.faults[0]!.description ?? '')![1]!;
      runs[name] = { r, rec, primary };
      const f = r.judgement.failover.redis!;
      const w = r.judgement.writes!;
      console.log(`[kernel-runner] ${name}: cut in place ${rec.installMs} ms after the step started; Sentinel detected ${f.detectedMs} ms, promoted ${f.promotedMs ?? '-'} ms, clients back ${f.recoveredMs ?? '-'} ms after it; writes ${w.attempted} sent, ${w.acked} acked, ${w.failed} failed, ${w.indeterminate} indeterminate, ${w.lost} acked then lost; steady again ${r.steadyState.restoredMs ?? '-'} ms after the heal; verdict ${r.verdict}${r.reasons.length ? ` (${r.reasons.join('; ')})` : ''}`);
      expect(rec.types).toEqual(['fault-inject', 'role-resolved', 'touch', 'fault-injected', 'fault-healed']);
      expect(r.cleanup).toMatchObject({ verdict: 'ok', leftoversHealed: [], leftoversRemaining: [] });
      expect(await toxicCount()).toBe(0);
      expect(await kernelRules()).toBe(0);
      // The checks see the fault hit the master (the link's two ends, however it was cut), and Sentinel move it.
      expect(rec.fault.nodes).toContain(primary);
      expect(f.cause?.id, f.evidence.join('; ')).toBe('f1');
      expect(f.detectedMs).toBeGreaterThan(0);
      // Sentinel promotes in ~2 s on an idle machine; on a loaded one the cut may heal first.
      if (f.newPrimary !== null) {
        expect(f.newPrimary).not.toBe(primary);
        expect(f.promotedMs).toBeGreaterThan(f.detectedMs!);
      }
    }
    const proxy = runs['cut-proxy']!;
    const kernel = runs['cut-kernel']!;
    // The same links, cut by Toxiproxy toxics in one run and by iptables rules alone in the other.
    expect(kernel.r.faults[0]!.description).toMatch(/^isolate redis-[ab] in the kernel \(8 links, 16 iptables rules\)$/);
    expect(proxy.r.faults[0]!.description).toMatch(/^isolate redis-[ab] \(8 links\)$/);
    expect(proxy.rec.touches.every((k) => k.startsWith('toxic:'))).toBe(true);
    expect(kernel.rec.touches.every((k) => k.startsWith('rule:'))).toBe(true);
    // Either Redis node's links reach the other, the witness, the Sentinels and the apps: the same nodes hit.
    expect(kernel.rec.fault.nodes.sort()).toEqual(proxy.rec.fault.nodes.sort());
    expect(kernel.rec.fault.nodes).toEqual(['app-a', 'app-b', 'redis-a', 'redis-b', 'redis-c', 'sentinel-a', 'sentinel-b', 'sentinel-c']);
  }, 240_000);

  it('Ctrl-C in the middle of a kernel cut deletes its rules', async () => {
    const c = await startCutting();
    expect(await kernelRules(`fl-${c.runId}-`)).toBeGreaterThan(0);
    c.child.kill('SIGINT');
    expect(await c.exited).toBe(2); // unknown: the run was cut short
    expect(await kernelRules()).toBe(0);
    const j = readJournal(latestJournal());
    expect(j.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['fault-healed', 'cleanup', 'run-end']));
    expect(j.entries.find((e) => e.type === 'cleanup')).toMatchObject({ verdict: 'ok' });
  }, 120_000);

  it('a SIGKILLed run\'s rules are healed by the next run before it starts, and journaled', async () => {
    const c = await startCutting();
    c.child.kill('SIGKILL');
    await c.exited;
    const left = await kernelRules(`fl-${c.runId}-`);
    expect(left).toBeGreaterThan(0);
    const killed = latestJournal();
    const r = await runExperiment(experiment({ name: 'after-a-kill', timeline: [{ wait: '100ms' }] }), { seed: 1, env, runsDir });
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(await kernelRules()).toBe(0);
    const recovered = readJournal(killed).entries.at(-1)!;
    expect(recovered).toMatchObject({ type: 'recovered' });
    expect((recovered.healed as string[]).filter((l) => l.startsWith('iptables rule on '))).toHaveLength(left);
    expect(readJournal(r.reports.journal).entries[0]).toMatchObject({ type: 'run-start', recoveredRun: c.runId });
  }, 120_000);

  it('`faultline reset` heals a SIGKILLed run\'s rules by looking in every namespace, even with its touches lost', async () => {
    const c = await startCutting();
    c.child.kill('SIGKILL');
    await c.exited;
    const left = await kernelRules(`fl-${c.runId}-`);
    expect(left).toBeGreaterThan(0);
    // As if the journal had lost every record of which namespaces were cut: only the fault's start is left.
    const journal = latestJournal();
    writeFileSync(journal, readFileSync(journal, 'utf8').split('\n').filter((l) => !l.includes('"type":"touch"')).join('\n'));
    const r = await exec(process.execPath, [cli, 'reset'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`run ${c.runId} \\(hold-kernel-cut\\) was killed before it healed; healed ${left} iptables rule\\(s\\) on [a-z0-9-, ]*sentinel-b`));
    // Recovery found them all: the reset's own sweep of every fl- rule finds none left.
    expect(r.stdout).toMatch(/removed 0 iptables rule\(s\)/);
    expect(await kernelRules()).toBe(0);
    expect(readJournal(journal).entries.at(-1)).toMatchObject({ type: 'recovered', by: 'faultline reset' });
  }, 120_000);
});
