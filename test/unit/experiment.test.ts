// Experiment files without Docker: checked with every problem at once, each with its path and a
// coded error; plans are deterministic per seed; validation finds what only the target knows.
import { describe, expect, it } from 'vitest';
import { checkExperiment, defineExperiment, parseDuration, planTimeline, validateExperiment, type Experiment, type ExperimentInput, type FaultInput } from '../../src/index.ts';

const base: ExperimentInput = { name: 'x', description: 'd', timeline: [{ wait: '1s' }] };
const checked = (input: Partial<ExperimentInput> & Record<string, unknown>): Experiment => {
  const r = checkExperiment(defineExperiment({ ...base, ...input } as ExperimentInput));
  if (!r.value) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const problemsOf = async (input: Partial<ExperimentInput>, seed = 1) => (await validateExperiment(checked(input), { seed, env: {} })).problems;

describe('durations', () => {
  it('reads numbers as ms and strings with a unit; refuses anything else', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('250ms')).toBe(250);
    for (const bad of ['5 sec', '-1s', 's', '1d', '']) expect(parseDuration(bad)).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});

describe('experiment shape', () => {
  it('reports every problem of every step at once, each with its path', () => {
    const r = checkExperiment({
      name: 'Bad Name', description: '',
      timeline: [
        { fault: { kind: 'latency', link: { from: 'a', to: 'b' }, latencyMs: 1 }, for: '5 sec' },
        { wait: '1s', fault: { kind: 'kill', node: 'x' } },
        { concurrent: [{ nothing: 1 }, { random: { count: 0, within: '1s', for: ['3s', '1s'], faults: [{ kind: 'meteor' }] } }] },
        { waitUntil: { role: {} }, timeout: 'soon' },
      ],
    });
    const paths = r.problems.map((p) => p.path);
    expect(r.value).toBeUndefined();
    expect(paths).toEqual(expect.arrayContaining([
      'name', 'description', 'timeline[0].for', 'timeline[1]', 'timeline[2].concurrent[0]',
      'timeline[2].concurrent[1].random.count', 'timeline[3].timeout', 'timeline[3].waitUntil.role.store',
    ]));
    expect(r.problems.find((p) => p.path === 'timeline[0].for')!.message).toMatch(/not a duration/);
    expect(r.problems.find((p) => p.path === 'timeline[1]')!.fix).toMatch(/exactly one of/);
  });

  it('fills defaults', () => {
    const e = checked({});
    expect(e.steadyState).toEqual({ probes: [], everyMs: 1000, recoverWithinMs: 60_000 });
    expect(e.safety.allowRemoteEndpoints).toBe(false);
  });
});

describe('plans', () => {
  const random = { random: { count: 6, within: '60s', for: ['1s', '5s'] as [string, string], faults: [
    { kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 50 },
    { kind: 'reset', link: { from: 'app-b', to: 'haproxy-b' } },
  ] satisfies FaultInput[] } };

  it('same seed, same schedule; another seed, another', () => {
    const e = checked({ timeline: [random] });
    const times = (seed: number) => planTimeline(e.timeline, seed).faults.map((f) => [f.fault.kind, f.start[0], f.end[0]]);
    expect(times(42)).toEqual(times(42));
    expect(times(42)).not.toEqual(times(43));
  });

  it('random faults fall inside the window, one after another', () => {
    const e = checked({ timeline: [random] });
    for (const seed of [1, 2, 3, 99]) {
      const fs = planTimeline(e.timeline, seed).faults;
      expect(fs).toHaveLength(6);
      fs.forEach((f, i) => {
        expect(f.end[0] - f.start[0]).toBeGreaterThanOrEqual(1000);
        expect(f.end[0] - f.start[0]).toBeLessThanOrEqual(5000);
        expect(f.end[0]).toBeLessThanOrEqual(60_000);
        if (i) expect(f.start[0]).toBeGreaterThanOrEqual(fs[i - 1]!.end[0]);
      });
    }
  });

  it('windows follow sequences, concurrency and waitUntil timeouts', () => {
    const e = checked({ timeline: [
      { fault: { kind: 'kill', node: 'redis-a' }, at: '1s', for: '10s' },
      { concurrent: [{ wait: '5s' }, { waitUntil: { role: { store: 'redis' } }, timeout: '20s' }] },
      { fault: { kind: 'pause', node: 'redis-b' } },
    ] });
    const p = planTimeline(e.timeline, 1);
    expect(p.faults.map((f) => [f.start, f.end])).toEqual([[[1000, 1000], [11_000, 11_000]], [[16_000, 31_000], [Infinity, Infinity]]]);
    expect(p.duration).toEqual([16_000, 31_000]);
  });
});

describe('validation against the target', () => {
  it('lists the valid targets for an unknown one', async () => {
    const [p] = await problemsOf({ target: './nowhere.json' });
    expect(p).toMatchObject({ path: 'target' });
    expect(p!.message).toMatch(/unknown target/);
    expect(p!.fix).toMatch(/"reference"/);
  });

  it('finds links and nodes missing from the target, with the valid ones', async () => {
    const ps = await problemsOf({ timeline: [
      { fault: { kind: 'latency', link: { from: 'app-a', to: 'pg-b' }, latencyMs: 10 } },
      { fault: { kind: 'kill', node: 'pg-z' }, for: '1s' },
      { fault: { kind: 'latency', link: { from: 'app-a', to: 'haproxy-a', port: 'nope' }, latencyMs: 10 } },
    ] });
    expect(ps.map((p) => p.path)).toEqual(['timeline[0].fault', 'timeline[1].fault', 'timeline[2].fault']);
    expect(ps[0]!.fix).toMatch(/app-a connects to: .*haproxy-a/);
    expect(ps[1]!.fix).toMatch(/pg-a/);
    expect(ps[2]!.fix).toMatch(/use one of/);
  });

  it('refuses contradictory faults on one link or node, but not the same fault one after another', async () => {
    const lat = (ms: number): FaultInput => ({ kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: ms });
    const clash = await problemsOf({ timeline: [{ concurrent: [{ fault: lat(100), for: '10s' }, { fault: lat(300), at: '5s', for: '10s' }] }] });
    expect(clash).toHaveLength(1);
    expect(clash[0]!.message).toMatch(/contradicts timeline\[0\]\.concurrent\[0\]: both hold latency on app-a--haproxy-a/);
    const node = await problemsOf({ timeline: [{ fault: { kind: 'pause', node: { primaryOf: 'redis' } } }, { fault: { kind: 'kill', node: { primaryOf: 'redis' } } }] });
    expect(node[0]!.message).toMatch(/both hold node redis-a/);
    expect(await problemsOf({ timeline: [{ fault: lat(100), for: '10s' }, { fault: lat(300), for: '10s' }] })).toEqual([]);
  });

  it('checks probe nodes, ports and stores', async () => {
    const ps = await problemsOf({ steadyState: { probes: [
      { name: 'a', redis: { node: 'redis-a', port: 'nope', command: ['PING'] } },
      { name: 'b', role: { store: 'mongo' } },
      { name: 'c', http: { url: 'http://example.com/' } },
    ] } });
    expect(ps.map((p) => p.path)).toEqual(['steadyState.probes[0].redis.port', 'steadyState.probes[1].role.store', 'steadyState.probes[2].http.url']);
  });

  it('checks given.primaries: a store of the target, one of its members, and a store whose primary can be moved', async () => {
    expect(await problemsOf({ given: { primaries: { postgres: 'pg-b', redis: 'redis-a' } } })).toEqual([]);
    const ps = await problemsOf({ given: { primaries: { mongo: 'm-1', redis: 'pg-a' } } });
    expect(ps.map((p) => [p.path, p.fix])).toEqual([['given.primaries.mongo', 'use one of: postgres, redis'], ['given.primaries.redis', 'use one of: redis-a, redis-b']]);
    expect(checkExperiment({ name: 'x', description: 'x', timeline: [{ wait: '1s' }], given: { primary: {} } }).problems.map((p) => p.path)).toEqual(['given']);
  });

  it('refuses a timeline longer than maxDuration, and a remote Docker endpoint', async () => {
    const e = checked({ timeline: [{ wait: '2m' }], maxDuration: '1m' });
    const r = await validateExperiment(e, { seed: 1, env: { DOCKER_HOST: 'tcp://10.1.2.3:2375' } });
    expect(r.problems.map((p) => p.path)).toEqual(['maxDuration', 'DOCKER_HOST']);
    const allowed = checked({ timeline: [{ wait: '1s' }], safety: { allowRemoteEndpoints: true } });
    expect((await validateExperiment(allowed, { seed: 1, env: { DOCKER_HOST: 'tcp://10.1.2.3:2375' } })).problems).toEqual([]);
  });

  it('passes a good experiment and returns its plan', async () => {
    const r = await validateExperiment(checked({ timeline: [{ fault: { kind: 'zones', from: { zoneOf: { primaryOf: 'postgres' } }, to: ['b'] }, for: '5s' }] }), { seed: 1, env: {} });
    expect(r.problems).toEqual([]);
    expect(r.value!.plan.faults).toHaveLength(1);
    expect([...r.value!.footprints.get('f1')!].some((k) => k.startsWith('toxic:'))).toBe(true);
  });
});
