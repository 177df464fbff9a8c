// Property: whatever an experiment file holds, checking it never crashes, and a refusal always
// comes as a list of problems, each with a path and a message (which the CLI turns into one
// coded error). Inputs are arbitrary JSON and near-misses of valid experiments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExperiment, validateExperiment } from '../../src/index.ts';

const duration = fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.constantFrom('1s', '500ms', '2m', '5 sec', '', '-1s', '1.5s', 'x'));
const link = fc.record({ from: fc.constantFrom('app-a', 'app-b', 'pg-a', 'nope', ''), to: fc.constantFrom('haproxy-a', 'redis-a', 'pg-b', 'x') }, { requiredKeys: [] });
const node = fc.oneof(fc.constantFrom('pg-a', 'redis-b', 'ghost', ''), fc.record({ primaryOf: fc.constantFrom('postgres', 'redis', 'mongo') }), fc.anything());
const fault = fc.oneof(
  fc.record({ kind: fc.constantFrom('latency', 'bandwidth', 'reset', 'blackhole', 'link_down', 'slicer'), link, latencyMs: fc.integer({ min: -10, max: 5000 }), rateKBps: fc.integer({ min: -1, max: 100 }) }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constantFrom('kill', 'stop', 'pause', 'restart', 'crash_loop', 'isolate'), node, everyS: fc.double(), forS: fc.double() }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constantFrom('zones', 'majority_minority', 'bridge', 'meteor'), from: fc.anything(), to: fc.anything(), group: fc.anything() }, { requiredKeys: ['kind'] }),
  fc.anything(),
);
const step: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  step: fc.oneof({ depthSize: 'small' },
    fc.record({ fault, at: duration, for: duration }, { requiredKeys: ['fault'] }),
    fc.record({ wait: duration }),
    fc.record({ waitUntil: fc.oneof(fc.record({ role: fc.record({ store: fc.constantFrom('redis', 'postgres', 'nope') }) }), fc.anything()), timeout: duration }),
    fc.record({ sequence: fc.array(tie('step'), { maxLength: 3 }) }),
    fc.record({ concurrent: fc.array(tie('step'), { maxLength: 3 }) }),
    fc.record({ random: fc.record({ count: fc.integer({ min: -1, max: 5 }), within: duration, for: fc.oneof(duration, fc.tuple(duration, duration)), faults: fc.array(fault, { maxLength: 3 }) }) }),
    fc.anything(),
  ),
})).step;
const experiment = fc.oneof(
  fc.record({
    name: fc.oneof(fc.constantFrom('ok-name', 'Bad Name', ''), fc.string()),
    description: fc.string(),
    target: fc.constantFrom('reference', './nope.json', undefined),
    steadyState: fc.record({ probes: fc.array(fc.anything(), { maxLength: 2 }), every: duration }, { requiredKeys: [] }),
    timeline: fc.array(step, { maxLength: 4 }),
    maxDuration: duration,
  }, { requiredKeys: ['name', 'timeline'] }),
  fc.anything(),
);

describe('experiment input fuzz', () => {
  it('checking never throws; a refusal always lists problems with paths', () => {
    fc.assert(fc.property(experiment, (raw) => {
      const r = checkExperiment(raw);
      if (!r.value) {
        expect(r.problems.length).toBeGreaterThan(0);
        for (const p of r.problems) {
          expect(typeof p.path).toBe('string');
          expect(p.message.length).toBeGreaterThan(0);
        }
      }
    }), { numRuns: 1500, seed: 20261121 });
  });

  it('validating against the reference target (what passed the shape check, or the valid rest) never throws', async () => {
    await fc.assert(fc.asyncProperty(experiment, async (raw) => {
      const r = checkExperiment(raw);
      const e = r.value ?? r.partial;
      if (!e) return;
      const v = await validateExperiment(e, { seed: 1, env: {} });
      expect(v.value !== undefined || v.problems.length > 0).toBe(true);
      for (const p of v.problems) expect(typeof p.path).toBe('string');
    }), { numRuns: 400, seed: 20261121 });
  });
});
