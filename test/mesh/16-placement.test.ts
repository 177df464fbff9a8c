// given: { primaries }: an experiment starts from a known placement, moved there by Patroni's
// switchover and a Sentinel failover and verified on the members, whatever it was before.
import { describe, expect, it } from 'vitest';
import { currentPrimary, readJournal, runForTest } from '../../src/index.ts';
import { TEST_ENV } from './env.ts';
import { rejudgedRunsDir, target } from './helpers.ts';

const runsDir = rejudgedRunsDir('fl-place-', 2);
const env = { ...process.env, ...TEST_ENV, FAULTLINE_LOCK_DIR: runsDir };

describe('given primaries', () => {
  it('moves each primary where the experiment says, verifies it, and reports where they were when the timeline started', async () => {
    const was = { postgres: (await currentPrimary(target, 'postgres'))!, redis: (await currentPrimary(target, 'redis'))! };
    const other = (store: 'postgres' | 'redis') => target.stores[store]!.members.find((m) => m !== was[store])!;
    const given = { postgres: other('postgres'), redis: other('redis') };
    const exp = {
      name: 'placed', description: 'mesh test', given: { primaries: given },
      steadyState: { probes: [
        { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before' as const] },
        { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before' as const] },
      ] },
      timeline: [{ wait: '200ms' }],
    };
    const r = await runForTest(exp, { seed: 1, env, runsDir });
    console.log(`[placement] ${r.primaries.given.map((g) => `${g.store}: ${g.was} -> ${g.wanted} by a ${g.how} in ${g.ms} ms`).join('; ')}`);
    expect(r.verdict, r.reasons.join('; ')).toBe('pass');
    expect(r.primaries.given).toEqual([
      { store: 'postgres', wanted: given.postgres, was: was.postgres, how: 'patroni switchover', ms: expect.any(Number) },
      { store: 'redis', wanted: given.redis, was: was.redis, how: 'sentinel failover', ms: expect.any(Number) },
    ]);
    expect(r.primaries.atStart).toEqual(given);
    expect({ postgres: await currentPrimary(target, 'postgres'), redis: await currentPrimary(target, 'redis') }).toEqual(given);
    const types = readJournal(r.reports.journal).entries.map((e) => e.type);
    expect(types.filter((x) => x === 'placed')).toHaveLength(2);
    expect(types.indexOf('placed')).toBeLessThan(types.indexOf('primaries'));

    // Where they are already, nothing moves.
    const again = await runForTest(exp, { seed: 1, env, runsDir });
    expect(again.verdict, again.reasons.join('; ')).toBe('pass');
    expect(again.primaries.given.map((g) => g.how)).toEqual(['already', 'already']);
  });
});
