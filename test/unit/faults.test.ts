// Fault specs are data: a bad one is refused with every problem, its path and a fix, before
// anything is touched; a good one gets its defaults.
import { describe, expect, it } from 'vitest';
import { checkFault, faultKindNames } from '../../src/index.ts';

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
