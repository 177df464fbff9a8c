// Fault specs are data: a bad one is refused with every problem, its path and a fix, before
// anything is touched; a good one gets its defaults.
import { describe, expect, it } from 'vitest';
import { recordingContext } from '../../src/runner/recorder.ts';
import { kernelFaultsUnavailable } from '../../src/runtime/iptables.ts';
import { ErrorCodes, FaultlineError, checkFault, faultKindNames, injectFault, loadTarget, type FaultContext } from '../../src/index.ts';
import { ExitCodes, exitCodeFor } from '../../src/cli/exit-codes.ts';

describe('fault specs', () => {
  it('knows every kind the issue lists', () => {
    for (const k of ['latency', 'bandwidth', 'blackhole', 'reset', 'link_down', 'slicer', 'limit_data', 'kill', 'stop', 'pause', 'restart', 'crash_loop', 'isolate', 'zones', 'majority_minority', 'bridge']) {
      expect(faultKindNames()).toContain(k);
    }
  });

  it('fills defaults: both streams, full toxicity, zero jitter, SIGKILL', () => {
    expect(checkFault({ kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 200 }).value)
      .toEqual({ kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 200, jitterMs: 0, stream: 'both', toxicity: 1 });
    expect(checkFault({ kind: 'kill', node: { primaryOf: 'postgres' } }).value).toMatchObject({ signal: 'SIGKILL' });
  });

  it('lists the valid kinds for an unknown one', () => {
    const r = checkFault({ kind: 'meteor' }, 'timeline[2].fault');
    expect(r.value).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ path: 'timeline[2].fault.kind', message: 'unknown fault kind "meteor"' });
    expect(r.problems[0]!.fix).toContain('blackhole');
  });

  it('reports every bad field of one spec, each with its path', () => {
    const r = checkFault({ kind: 'latency', link: { from: 'app-a' }, latencyMs: -5, stream: 'sideways', extra: 1 });
    const paths = r.problems.map((p) => p.path).sort();
    expect(paths).toEqual(['fault', 'fault.latencyMs', 'fault.link.to', 'fault.stream'].sort());
  });
});

// partition_kernel: either `isolate`, or `from` and `to` (zone sides as in `zones`), never both.
describe('partition_kernel specs', () => {
  const kernel = (spec: Record<string, unknown>) => checkFault({ kind: 'partition_kernel', ...spec });
  const paths = (spec: Record<string, unknown>) => kernel(spec).problems.map((p) => p.path).sort();

  it('takes the sides of isolate and zones', () => {
    expect(faultKindNames()).toContain('partition_kernel');
    for (const spec of [
      { isolate: 'sentinel-a' },
      { isolate: { primaryOf: 'postgres' } },
      { from: ['a'], to: ['b'] },
      { from: ['a', 'c'], to: { zoneOf: { replicaOf: 'redis' } }, oneWay: true },
    ]) expect(kernel(spec)).toEqual({ value: { kind: 'partition_kernel', ...spec }, problems: [] });
  });

  it('refuses a spec with no sides, only `to`, or both forms, each problem at its field', () => {
    expect(paths({})).toEqual(['fault.from']);
    expect(paths({ from: ['a'] })).toEqual([]); // `to` left out: every other zone
    expect(paths({ isolate: 'pg-a', from: ['a'], oneWay: true })).toEqual(['fault.from', 'fault.oneWay']);
    expect(kernel({ to: ['b'] }).problems[0]).toMatchObject({ path: 'fault.from', message: expect.stringContaining('isolate') });
  });

  it('refuses bad sides and unknown fields', () => {
    expect(paths({ from: [], to: ['b'] })).toEqual(['fault.from']);
    expect(paths({ isolate: { leaderOf: 'etcd' } })).toEqual(['fault.isolate']);
    expect(paths({ isolate: 'pg-a', node: 'pg-a' })).toEqual(['fault']);
    expect(paths({ from: ['a'], to: ['b'], oneWay: 'yes' })).toEqual(['fault.oneWay']);
  });
});

describe('partition_kernel where it cannot run', () => {
  // Any use of the adapters fails the test: a refused fault must touch nothing.
  const untouchable = new Proxy({}, { get: (_t, k) => { throw new Error(`touched ${String(k)}`); } });
  const ctx = (nodes: unknown = untouchable): FaultContext => ({ target: loadTarget(), toxiproxy: untouchable as never, nodes: nodes as never, runId: 'unit' });

  it('refuses a remote engine with its own code (exit code 5) and the proxy-level way out', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://10.9.8.7:2375';
    try {
      const err = await injectFault({ kind: 'partition_kernel', isolate: 'sentinel-a' }, ctx(), 'k').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FaultlineError);
      expect((err as FaultlineError).code).toBe(ErrorCodes.KERNEL_FAULT_UNAVAILABLE);
      expect((err as FaultlineError).message).toMatch(process.platform === 'linux' ? /engine is at 10\.9\.8\.7/ : /Linux host/);
      expect((err as FaultlineError).fix).toMatch(/`zones` \/ `isolate`/);
      expect(exitCodeFor((err as FaultlineError).code)).toBe(ExitCodes.ENVIRONMENT);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('checks its sides before the host: zones on both sides is bad input', async () => {
    await expect(injectFault({ kind: 'partition_kernel', from: ['a'], to: ['a', 'b'] }, ctx(), 'k')).rejects.toMatchObject({ code: ErrorCodes.BAD_INPUT });
  });

  it('acts only through its context: a dry run records every rule and runs no iptables', async () => {
    const target = loadTarget();
    const touched = new Set<string>();
    const dry = recordingContext(target, 'dry', (k) => touched.add(k));
    const why = await kernelFaultsUnavailable();
    const run = injectFault({ kind: 'partition_kernel', isolate: 'sentinel-a' }, dry, 'k').then((f) => f.heal());
    if (why) return expect(run).rejects.toMatchObject({ code: ErrorCodes.KERNEL_FAULT_UNAVAILABLE });
    await run;
    // sentinel-a's own links (OUTPUT and INPUT per server port) and those of its clients, each
    // rule commented with its run, fault and proxy.
    expect([...touched].every((k) => k.startsWith('rule:'))).toBe(true);
    expect(touched).toContain('rule:sentinel-a:fl-dry-k/sentinel-a--redis-a--redis');
    expect(touched).toContain('rule:sentinel-b:fl-dry-k/sentinel-b--sentinel-a--sentinel');
  });
});
