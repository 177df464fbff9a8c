// The report's timeline from a hand-made history with known answers: bucket edges, outcomes per
// bucket, nearest-rank latency percentiles, role lanes from the preferred source, fault bands.
import { describe, expect, it } from 'vitest';
import type { History, Observation, Op } from '../../src/history/model.ts';
import { makeHistory } from '../fixtures/history.ts';
import { percentile } from '../../src/core/percentile.ts';
import { reportSeries } from '../../src/report/series.ts';

const op = (id: string, scheduledT: number, endT: number | null, outcome: Op['outcome']) =>
  ({ id, client: 'app-a', scheduledT, sentT: scheduledT + 1, endT, outcome });
const obs = (t: number, source: Observation['source'], node: string, store: string, value: string): Observation => ({ t, source, node, store, value });

// With the fault at 2500 ms the buckets are [-500, 500), [500, 1500), … [4500, 5500) in run time.
function history(): History {
  return makeHistory({
    experiment: 'x', runId: 'r', wallClock: '', complete: true, endT: 5200,
    faults: [
      { id: 'f1', kind: 'kill', description: 'kill pg-a', start: 2500, end: 4000, nodes: ['pg-a'] },
      { id: 'f2', kind: 'link-latency', description: 'slow link', start: 3000, end: null, nodes: [] },
    ],
    ops: [
      op('a1', 100, 120, 'ok'), op('a2', 200, 250, 'ok'), op('a3', 300, 310, 'ok'), // latencies 20, 50, 10
      op('b1', 1000, 1400, 'ok'),
      op('c1', 2400, 2600, 'fail'),
      op('c2', 2450, 4450, 'indeterminate'),
      op('c3', 3000, 3600, 'ok'), // 600 ms
      op('c4', 3100, 3500, 'ok'), // ends on a bucket's first ms: that bucket, 400 ms
      op('d1', 5100, 5200, 'ok'), // ends at endT: the last bucket
      op('p1', 5150, null, 'pending'), // no outcome yet: not drawn
    ],
    observations: [
      obs(0, 'patroni', 'pg-a', 'postgres', 'primary'), obs(1000, 'patroni', 'pg-a', 'postgres', 'primary'),
      obs(3000, 'patroni', 'pg-a', 'postgres', 'down'), obs(4700, 'patroni', 'pg-a', 'postgres', 'replica'),
      // The node's own answer is preferred for pg-a, so Patroni's lagging view is not drawn for it.
      obs(0, 'pg-recovery', 'pg-a', 'postgres', 'primary'), obs(2800, 'pg-recovery', 'pg-a', 'postgres', 'down'),
      obs(0, 'patroni', 'pg-b', 'postgres', 'replica'), obs(4000, 'patroni', 'pg-b', 'postgres', 'primary'),
      obs(100, 'pg-recovery', 'pg-c', 'postgres', 'replica'),
      obs(0, 'redis-role', 'redis-a', 'redis', 'primary'),
      obs(0, 'sentinel', 'sentinel-a', 'redis', 'redis-a'), obs(0, 'app-ready', 'app-a', 'app', 'ready'),
    ],
    sentinelEvents: [], ledger: null,
  });
}

describe('report series', () => {
  it('buckets outcomes by completion time, x in seconds from the fault', () => {
    const s = reportSeries(history(), 2500);
    expect(s).toMatchObject({ originT: 2500, origin: 'fault', startX: -2.5, endX: 2.7 });
    expect(s.x).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(s.ok).toEqual([3, 1, 0, 0, 2, 1]);
    expect(s.failed).toEqual([0, 0, 0, 1, 0, 0]);
    expect(s.indeterminate).toEqual([0, 0, 0, 0, 1, 0]);
  });

  it('latency percentiles per bucket over successful ops, scheduledT to endT, nearest rank', () => {
    const s = reportSeries(history(), 2500);
    expect(s.p50).toEqual([20, 400, null, null, 400, 100]);
    expect(s.p99).toEqual([50, 400, null, null, 600, 100]);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(hundred, 50), percentile(hundred, 99), percentile(hundred, 100), percentile([], 50)]).toEqual([50, 99, 100, null]);
  });

  it('one role lane per store node, from its preferred source, repeats merged, open to the end', () => {
    const s = reportSeries(history(), 2500);
    expect(s.lanes).toEqual([
      { node: 'pg-a', store: 'postgres', source: 'pg-recovery', segments: [{ from: -2.5, to: 0.3, value: 'primary' }, { from: 0.3, to: 2.7, value: 'down' }] },
      { node: 'pg-b', store: 'postgres', source: 'patroni', segments: [{ from: -2.5, to: 1.5, value: 'replica' }, { from: 1.5, to: 2.7, value: 'primary' }] },
      { node: 'pg-c', store: 'postgres', source: 'pg-recovery', segments: [{ from: -2.4, to: 2.7, value: 'replica' }] },
      { node: 'redis-a', store: 'redis', source: 'redis-role', segments: [{ from: -2.5, to: 2.7, value: 'primary' }] },
    ]);
  });

  it('fault bands, an unhealed fault open to the end of the run', () => {
    expect(reportSeries(history(), 2500).faults).toEqual([
      { id: 'f1', kind: 'kill', description: 'kill pg-a', from: 0, to: 1.5, open: false },
      { id: 'f2', kind: 'link-latency', description: 'slow link', from: 0.5, to: 2.7, open: true },
    ]);
  });

  it('without a fault, x counts from the run start', () => {
    const s = reportSeries(history(), null);
    expect(s).toMatchObject({ originT: 0, origin: 'run-start', startX: 0, endX: 5.2 });
    expect(s.x).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.ok).toEqual([3, 1, 0, 2, 0, 1]);
    expect(s.faults[0]).toMatchObject({ from: 2.5, to: 4 });
  });

  it('an empty history still has one bucket to draw', () => {
    const s = reportSeries(makeHistory({ endT: 0 }), null);
    expect([s.x, s.ok, s.p50, s.lanes]).toEqual([[0], [0], [null], []]);
  });
});
