// The checks are pure functions over a recorded history: a hand-made history with known answers.
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { failoverPhases } from '../../src/checks/failover.ts';
import { splitBrain } from '../../src/checks/split-brain.ts';
import { unavailableWindows } from '../../src/checks/availability.ts';
import { tallyWrites } from '../../src/checks/writes.ts';
import { latencyByPhase } from '../../src/checks/latency.ts';
import type { History, Observation, Op } from '../../src/history/model.ts';

const pg = { members: ['pg-a', 'pg-b'], kind: 'postgres' };
const redis = { members: ['redis-a', 'redis-b'], kind: 'redis', masterName: 'mymaster' };
const obs = (t: number, source: Observation['source'], node: string, value: string): Observation => ({ t, source, node, value });

/** 10 writes/s for 20 s through two apps; the fault runs 5 s..15 s; writes fail 5.0 s..8.0 s. */
function history(opts: { splitUntil?: number } = {}): History {
  const ops: Op[] = [];
  for (let i = 0; i < 200; i++) {
    const t = i * 100;
    const bad = t >= 5000 && t < 8000;
    const node = t < 7000 ? 'pg-a' : 'pg-b';
    ops.push({ id: `w${i}`, client: i % 2 ? 'app-b' : 'app-a', scheduledT: t, sentT: t + 1, endT: t + (bad ? 2000 : t >= 8000 && t < 9000 ? 400 : 20),
      outcome: bad ? (i % 3 ? 'fail' : 'indeterminate') : 'ok', ...(bad ? {} : { node }) });
  }
  const observations = [
    obs(0, 'pg-recovery', 'pg-a', 'primary'), obs(0, 'pg-recovery', 'pg-b', 'replica'),
    obs(0, 'patroni', 'pg-a', 'primary'), obs(0, 'patroni', 'pg-b', 'replica'),
    obs(5600, 'patroni', 'pg-a', 'down'),
    obs(7000, 'pg-recovery', 'pg-b', 'primary'), obs(7000, 'patroni', 'pg-b', 'primary'),
    obs(opts.splitUntil ?? 5600, 'pg-recovery', 'pg-a', 'down'),
    obs(16_000, 'pg-recovery', 'pg-a', 'replica'),
    obs(0, 'redis-role', 'redis-a', 'primary'), obs(0, 'redis-role', 'redis-b', 'replica'),
  ];
  return {
    experiment: 'x', runId: 'r', wallClock: '', complete: true, endT: 20_000,
    faults: [{ id: 'f1', kind: 'kill', description: 'SIGKILL to pg-a', start: 5000, end: 15_000, nodes: ['pg-a'] }],
    ops, observations, sentinelEvents: [{ t: 9000, sentinel: 'sentinel-a', channel: '+sdown', message: 'slave redis-b 10.0.0.3 6380 @ mymaster redis-a 6379' }],
    ledger: { t: 19_000, primary: { postgres: 'pg-b', redis: 'redis-a' }, entries: ops.filter((o) => o.outcome !== 'fail').map((o) => ({
      id: o.id, acked: o.outcome === 'ok', found: { postgres: o.id !== 'w40' && !(o.outcome === 'indeterminate' && o.scheduledT >= 6000), redis: true },
    })) },
  };
}

describe('failover phases', () => {
  it('detected, promoted, clients recovered, error rate back: ms from the injection, with evidence', () => {
    const f = failoverPhases(history(), 'postgres', pg);
    expect(f).toMatchObject({ oldPrimary: 'pg-a', newPrimary: 'pg-b', detectedMs: 600, promotedMs: 2000, recoveredMs: 3500 }); // app-b's first write after 7 s to succeed: due 8.1 s, 400 ms
    expect(f.errorRateBaselineMs).toBe(3000);
    expect(f.evidence.join()).toMatch(/patroni: pg-a down/);
  });

  it('Sentinel events date the detection of the store they watch, and of no other', () => {
    const h = history();
    h.sentinelEvents.push({ t: 5300, sentinel: 'sentinel-b', channel: '+sdown', message: 'master mymaster redis-a 6379' });
    expect(failoverPhases(h, 'postgres', pg).detectedMs).toBe(600);
    expect(failoverPhases(h, 'redis', redis, 'mymaster').detectedMs).toBe(300);
    expect(failoverPhases(h, 'redis', redis, 'othermaster').detectedMs).toBeNull();
  });

  it('a store the fault did not hit has no promotion', () => {
    const f = failoverPhases(history(), 'redis', redis);
    expect(f).toMatchObject({ oldPrimary: 'redis-a', newPrimary: null, promotedMs: null });
  });
});

describe('unavailability, writes, latency', () => {
  it('finds the window in which no write succeeded', () => {
    expect(unavailableWindows(history())).toEqual([{ start: 5000, end: 8000 }]);
  });

  it('tallies the ledger: lost acknowledged writes, indeterminate ones that did or did not commit', () => {
    const w = tallyWrites(history());
    expect(w).toMatchObject({ attempted: 200, acked: 170, failed: 20, indeterminate: 10, lost: 1, lostIds: ['w40'], lostWindowMs: 0 });
    expect(w.indeterminateCommitted + w.indeterminateNotCommitted).toBe(10);
    expect(w.indeterminateCommitted).toBe(3); // w51, w54, w57 are due before 6 s; w60 and later were not found
  });

  it('latency percentiles per phase count from the scheduled time', () => {
    const l = latencyByPhase(history());
    expect(l.before).toMatchObject({ count: 50, p50: 20, max: 20 });
    expect(l.during!.max).toBe(400);
    expect(l.after).toMatchObject({ count: 49, p99: 20 }); // 15.0 s is still during the fault
  });
});

describe('split brain', () => {
  it('none when the old primary stopped taking writes before the promotion', () => {
    expect(splitBrain(history(), pg)).toMatchObject({ ms: 0, writesToDemoted: 0 });
  });

  it('the overlap of two writable primaries, and the writes the superseded one took', () => {
    const h = history({ splitUntil: 9000 });
    // writes 7.0..9.0 s are acknowledged by pg-a in this variant
    h.ops.filter((o) => o.scheduledT >= 8000 && o.scheduledT < 8500).forEach((o) => (o.node = 'pg-a'));
    const b = splitBrain(h, pg);
    expect(b.ms).toBe(2000);
    expect(b.windows).toEqual([{ start: 7000, end: 9000, nodes: ['pg-a', 'pg-b'] }]);
    expect(b.writesToDemoted).toBe(5);
  });
});

describe('SLO verdicts', () => {
  const stores = { postgres: pg, redis };

  it('observed against limit, pass and fail', () => {
    const j = judge(history(), { stores, slos: { maxFailoverTime: 5000, maxUnavailableTime: 2000, maxLostAckedWrites: 0, maxErrorRate: 0.5, noSplitBrain: true, maxFailovers: 1 } });
    const by = Object.fromEntries(j.slos.map((s) => [s.name, s]));
    expect(Object.keys(by).sort()).toEqual(['maxErrorRate', 'maxFailoverTime[postgres]', 'maxFailovers[postgres]', 'maxFailovers[redis]', 'maxLostAckedWrites', 'maxUnavailableTime', 'noSplitBrain']);
    expect(by['maxFailoverTime[postgres]']).toMatchObject({ verdict: 'pass', observed: 3500, limit: 5000 });
    expect(by.maxUnavailableTime).toMatchObject({ verdict: 'fail', observed: 3000, limit: 2000 });
    expect(by.maxLostAckedWrites).toMatchObject({ verdict: 'fail', observed: 1 });
    expect(by.maxErrorRate).toMatchObject({ verdict: 'pass', observed: 0.297 }); // 30 of the 101 writes due 5.0..15.0 s
    expect(by.noSplitBrain).toMatchObject({ verdict: 'pass', observed: 0 });
    expect(by['maxFailovers[postgres]']).toMatchObject({ verdict: 'pass', observed: 1 });
    expect(j.verdict).toBe('fail');
    expect(j.failover.postgres!.promotedMs).toBe(2000);
    expect(j.unavailable).toEqual([{ start: 0, end: 3000 }]);
    expect(j.unnecessaryFailovers).toBe(0);
  });

  it('a store whose primary a fault hit but that never failed over fails its failover SLO', () => {
    const h = history();
    h.faults[0]!.nodes = ['pg-a', 'redis-a'];
    const j = judge(h, { stores, slos: { maxFailoverTime: 5000 } });
    expect(j.slos.find((s) => s.name === 'maxFailoverTime[redis]')).toMatchObject({ verdict: 'fail', observed: null });
  });

  it('unknown when the history cannot tell (no workload, no ledger)', () => {
    const h = { ...history(), ops: [], ledger: null };
    const j = judge(h, { stores, slos: { maxLostAckedWrites: 0, maxErrorRate: 0.1, maxUnavailableTime: 1000 } });
    expect(j.slos.map((s) => s.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(j.verdict).toBe('unknown');
  });

  it('an old primary that comes back saying primary is split brain, not a second failover', () => {
    const h = history();
    // pg-a restarts at 16 s as a primary, until it is turned into a replica at 18 s.
    h.observations = h.observations.filter((o) => !(o.node === 'pg-a' && o.t === 16_000));
    h.observations.push(obs(16_000, 'pg-recovery', 'pg-a', 'primary'), obs(18_000, 'pg-recovery', 'pg-a', 'replica'));
    const j = judge(h, { stores: { postgres: pg }, slos: { maxFailovers: 1, noSplitBrain: true } });
    expect(j.slos.map((x) => [x.name, x.verdict, x.observed])).toEqual([['noSplitBrain', 'fail', 2000], ['maxFailovers[postgres]', 'pass', 1]]);
  });

  it('counts a promotion no fault called for as unnecessary', () => {
    const h = history();
    h.faults[0]!.nodes = ['redis-b'];
    expect(judge(h, { stores, slos: {} }).unnecessaryFailovers).toBe(1);
  });
});
