// partition_kernel in the runner without Docker: validation refuses it with the machine's code
// where the host cannot cut in the kernel (and names the step and the proxy-level way out); its
// dry footprint names each rule's link, so the history sees the same nodes hit as for `isolate`;
// the leftover check finds a run's rules in every namespace (a fake engine), from the journal or
// without it, and heals them in one call per node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, buildHistory, checkExperiment, defineExperiment, loadTarget, readJournal, recoverStaleRun, referenceTargetPath, runExperiment, validateExperiment, type Experiment, type ExperimentInput } from '../../src/index.ts';
import { ExitCodes, exitCodeFor } from '../../src/cli/exit-codes.ts';
import { throwIfProblems } from '../../src/runner/load.ts';
import { clearLeftovers, findLeftovers, type LeftoverIo } from '../../src/runner/leftovers.ts';
import { lockPath } from '../../src/runner/lock.ts';
import type * as Iptables from '../../src/runtime/iptables.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const tempDir = tempDirs();

// This host's kernel-fault check, real unless a test says the host can (CI may not run as root).
const host = vi.hoisted(() => ({ canCut: false }));
vi.mock('../../src/runtime/iptables.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Iptables>();
  return {
    ...real,
    kernelFaultsUnavailable: async (env?: NodeJS.ProcessEnv) => (host.canCut ? undefined : real.kernelFaultsUnavailable(env)),
    requireKernelFaults: async (env?: NodeJS.ProcessEnv) => (host.canCut ? undefined : real.requireKernelFaults(env)),
  };
});

const target = loadTarget();
const experiment = (input: Partial<ExperimentInput>): Experiment => {
  const r = checkExperiment(defineExperiment({ name: 'kernel', description: 'd', timeline: [{ wait: '1s' }], ...input } as ExperimentInput));
  if (!r.value) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const kernelCut = experiment({ timeline: [{ wait: '1s' }, { fault: { kind: 'partition_kernel', isolate: 'sentinel-b' }, for: '5s' }] });

/** A host that cannot cut in the kernel, whoever runs the test: the engine is elsewhere. */
async function withRemoteEngine<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'tcp://10.9.8.7:2375';
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}

afterEach(() => {
  host.canCut = false;
});

describe('validating partition_kernel steps', () => {
  it('on a host that can cut: valid, each rule recorded with its run, fault and link', async () => {
    host.canCut = true;
    const r = await validateExperiment(kernelCut, { seed: 1, env: {} });
    expect(r.problems).toEqual([]);
    const keys = [...r.value!.footprints.get('f1')!];
    expect(keys.length).toBeGreaterThan(4);
    for (const k of keys) expect(k).toMatch(/^rule:[a-z0-9-]+:fl-dry-f1\/[a-z0-9-]+--[a-z0-9-]+--[a-z]+$/);
    // sentinel-b's own links are cut in its netns; its clients' links in theirs.
    expect(keys).toContain('rule:sentinel-b:fl-dry-f1/sentinel-b--redis-a--redis');
    expect(keys).toContain('rule:app-a:fl-dry-f1/app-a--sentinel-b--sentinel');
  });

  it('refuses before touching anything with FL_KERNEL_FAULT_UNAVAILABLE, naming the step and the way out', async () => {
    await withRemoteEngine(async () => {
      const r = await validateExperiment(kernelCut, { seed: 1, env: {} });
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ path: 'timeline[1].fault', code: ErrorCodes.KERNEL_FAULT_UNAVAILABLE });
      expect(r.problems[0]!.message).toMatch(process.platform === 'linux' ? /^partition_kernel cannot run on this host: the Docker engine is at 10\.9\.8\.7/ : /Linux host/);

      const runsDir = tempDir('fl-kernel-runs-');
      // No mesh runs here: a run that got past validation would fail on Toxiproxy instead. (The
      // run's own env has no DOCKER_HOST, or a remote engine would be bad input first.)
      const err = await runExperiment(kernelCut, { seed: 1, env: { FAULTLINE_LOCK_DIR: runsDir }, runsDir }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCodes.KERNEL_FAULT_UNAVAILABLE, message: 'experiment "kernel": timeline[1].fault cuts links in the kernel (partition_kernel), which this host cannot do; nothing was touched' });
      expect((err as { fix: string }).fix).toMatch(/proxy-level `isolate` \(isolate: <node> becomes node: <node>\) or `zones`/);
      expect(exitCodeFor((err as { code: typeof ErrorCodes.KERNEL_FAULT_UNAVAILABLE }).code)).toBe(ExitCodes.ENVIRONMENT);
      expect(readdirSync(runsDir)).toEqual([]); // no run directory, no lock
    });
  });

  it('a bad step beside it makes the experiment bad input, every problem listed', async () => {
    await withRemoteEngine(async () => {
      const both = experiment({ timeline: [{ fault: { kind: 'partition_kernel', from: ['a'], to: ['b'] }, for: '5s' }, { fault: { kind: 'latency', link: { from: 'app-a', to: 'pg-a' }, latencyMs: 5 } }] });
      const r = await validateExperiment(both, { seed: 1, env: {} });
      expect(r.problems.map((p) => [p.path, p.code])).toEqual([['timeline[0].fault', ErrorCodes.KERNEL_FAULT_UNAVAILABLE], ['timeline[1].fault', undefined]]);
      expect(() => throwIfProblems(r.problems, 'experiments are not valid')).toThrow(expect.objectContaining({ code: ErrorCodes.BAD_EXPERIMENT }));
      // The CLI's path (`faultline run` validates every file first): kernel problems alone keep their code.
      expect(() => throwIfProblems(r.problems.slice(0, 1).map((p) => ({ ...p, path: `kernel: ${p.path}` })), 'experiments are not valid'))
        .toThrow(expect.objectContaining({ code: ErrorCodes.KERNEL_FAULT_UNAVAILABLE, message: expect.stringContaining('kernel: timeline[0].fault cuts links in the kernel') }));
    });
  });

  it('the history sees a kernel cut hit the same nodes as the proxy-level cut of the same links', async () => {
    host.canCut = true;
    const hit = async (fault: ExperimentInput['timeline'][number]) => {
      const v = (await validateExperiment(experiment({ timeline: [fault] }), { seed: 1, env: {} })).value!;
      const touches = [...v.footprints.get('f1')!].map((key, i) => ({ t: i, type: 'touch', id: 'f1', key }));
      return buildHistory([...touches, { t: 99, type: 'fault-injected', id: 'f1', kind: 'x', description: 'x' }]).faults[0]!.nodes.sort();
    };
    // app-a's rules all go in its own netns and Toxiproxy's (for the external client), yet the
    // cut hits the servers it talks to: HAProxy, the Sentinels, both Redis nodes.
    const proxyIsolate = await hit({ fault: { kind: 'isolate', node: 'app-a' } });
    expect(await hit({ fault: { kind: 'partition_kernel', isolate: 'app-a' } })).toEqual(proxyIsolate);
    expect(proxyIsolate).toEqual(expect.arrayContaining(['app-a', 'client', 'haproxy-a', 'redis-a', 'redis-b', 'sentinel-c']));
    const proxyZones = await hit({ fault: { kind: 'zones', from: ['a'], to: ['b'] } });
    expect(await hit({ fault: { kind: 'partition_kernel', from: ['a'], to: ['b'] } })).toEqual(proxyZones);
  });
});

/** A fake engine: each namespace's rules, and every call made. */
function fakeEngine(rules: Record<string, string[][]>, why?: string): LeftoverIo & { calls: string[] } {
  const calls: string[] = [];
  const comment = (r: string[]) => r[r.indexOf('--comment') + 1] ?? '';
  return {
    calls,
    kernelUnavailable: async () => why,
    toxiproxy: { list: async () => [], removeToxic: async () => undefined, setEnabled: async () => undefined },
    nodes: {
      state: async () => ({ running: true, paused: false, health: undefined }),
      start: async () => undefined,
      netfilterRules: async (n, prefix) => (calls.push(`list ${n}`), (rules[n] ?? []).filter((r) => comment(r).startsWith(prefix))),
      netfilter: async (n, op, rs) => {
        calls.push(`${op} ${n} ${rs.length}`);
        rules[n] = (rules[n] ?? []).filter((r) => !rs.some((x) => x.join(' ') === r.join(' ')));
      },
    },
  };
}
const rule = (chain: string, port: number, comment: string) => [chain, '!', '-o', 'lo', '-p', 'tcp', '-m', 'tcp', '--dport', String(port), '-m', 'comment', '--comment', comment, '-j', 'DROP'];

describe('leftover kernel rules', () => {
  const mine = { 'sentinel-b': [rule('OUTPUT', 6379, 'fl-run1-f1/sentinel-b--redis-a--redis'), rule('OUTPUT', 6380, 'fl-run1-f1/sentinel-b--redis-b--redis')], toxiproxy: [rule('INPUT', 7001, 'fl-run1-f2/client--app-a--http')] };
  const others = { 'sentinel-a': [rule('OUTPUT', 26380, 'fl-run2-f1/sentinel-a--sentinel-b--sentinel'), rule('OUTPUT', 26380, 'docker-something')] };
  const engine = () => fakeEngine(structuredClone({ ...mine, ...others }));

  it('are looked for in every namespace, by the run\'s prefix, not only where the run recorded them', async () => {
    const e = engine();
    const l = await findLeftovers(target, 'run1', ['rule:sentinel-b:fl-run1-f1/sentinel-b--redis-a--redis'], { io: e });
    expect(l.rules).toEqual([...mine['sentinel-b'].map((r) => ({ node: 'sentinel-b', rule: r })), { node: 'toxiproxy', rule: mine.toxiproxy[0] }]);
    expect(e.calls.filter((c) => c.startsWith('list')).sort()).toEqual([...Object.keys(target.nodes), 'toxiproxy'].map((n) => `list ${n}`).sort());
    await clearLeftovers(target, l, e);
    expect(e.calls.filter((c) => !c.startsWith('list'))).toEqual(['delete sentinel-b 2', 'delete toxiproxy 1']);
    expect((await findLeftovers(target, 'run1', ['rule:sentinel-b:x'], { io: e })).rules).toEqual([]);
    expect((await findLeftovers(target, 'run2', [], { kernel: true, io: e })).rules).toHaveLength(1); // the other run's are still there
  });

  it('are not looked for after a run that cut nothing in the kernel', async () => {
    const e = engine();
    expect((await findLeftovers(target, 'run1', ['toxic:app-a--pg-a--postgres:upstream:timeout'], { io: e })).rules).toEqual([]);
    expect(e.calls).toEqual([]);
  });

  it('where they cannot be looked for, the check says so with the machine\'s code, never "nothing left"', async () => {
    const e = fakeEngine({}, 'kernel-level faults need root');
    await expect(findLeftovers(target, 'run1', ['rule:sentinel-b:fl-run1-f1/x'], { io: e })).rejects.toMatchObject({ code: ErrorCodes.KERNEL_FAULT_UNAVAILABLE, message: expect.stringMatching(/run run1 cut links in the kernel.*need root/) });
  });

  it('a SIGKILLed run\'s rules are healed from its marker, even when its journal lost the touches', async () => {
    const dir = tempDir('fl-kernel-recover-');
    const env = { ...process.env, FAULTLINE_LOCK_DIR: dir };
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    // The journal says a kernel cut started; no touch line survived (as if cut off mid-write).
    writeFileSync(join(runDir, 'journal.jsonl'), `${JSON.stringify({ t: 0, type: 'run-start', runId: 'run1' })}\n${JSON.stringify({ t: 5, type: 'fault-inject', id: 'f1', spec: { kind: 'partition_kernel', isolate: 'sentinel-b' } })}\n`);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(lockPath(target.projectName, env), JSON.stringify({ pid: deadPid, runId: 'run1', experiment: 'held', runDir, target: { path: referenceTargetPath(), host: target.host, project: target.projectName }, startedAt: new Date().toISOString() }));
    const e = engine();
    const r = await recoverStaleRun(target.projectName, env, 'test', () => e);
    expect(r!.summary).toBe('3 iptables rule(s) on sentinel-b, toxiproxy');
    expect(e.calls.filter((c) => !c.startsWith('list'))).toEqual(['delete sentinel-b 2', 'delete toxiproxy 1']);
    const last = readJournal(join(runDir, 'journal.jsonl')).entries.at(-1)!;
    expect(last).toMatchObject({ type: 'recovered', by: 'test' });
    expect(last.healed).toEqual(expect.arrayContaining([expect.stringMatching(/^iptables rule on toxiproxy: INPUT .*fl-run1-f2\/client--app-a--http/)]));
    expect(existsSync(lockPath(target.projectName, env))).toBe(false);
  });
});
