// The checks are pure functions over a recorded history. Each case is a hand-made history with a
// known answer, most of them a defect the checks once had (issue 8): no pass without evidence, and
// every figure meaning what it says.
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { runVerdict } from '../../src/checks/run-verdict.ts';
import { errorRateBack } from '../../src/checks/failover.ts';
import { tallyWrites } from '../../src/checks/writes.ts';
import type { Slos } from '../../src/config/slo.ts';
import { SloSchema } from '../../src/config/slo.ts';
import { healthy, Journal, PG, STORES } from '../fixtures/history.ts';

const slos = (s: unknown): Slos => SloSchema.parse(s);
const by = (j: ReturnType<typeof judge>) => Object.fromEntries(j.slos.map((s) => [s.name, s]));
const pgNodes = (n: string) => ({ nodes: { postgres: n, redis: 'redis-a' } });

/** A Postgres primary kill at 5 s: 10 writes/s by two apps, failing 5.0..8.0 s, pg-b promoted at 7 s. */
function pgKill(j = healthy(new Journal())): Journal {
  for (const c of ['app-a', 'app-b']) {
    j.ops(c, c === 'app-a' ? 0 : 50, 20_000, 100, (t) => (t >= 5000 && t < 8000 ? { outcome: 'fail', ms: 2000 } : pgNodes(t < 5000 ? 'pg-a' : 'pg-b')));
  }
  return j.fault('f1', 5000, 15_000, ['pg-a'], 'SIGKILL to pg-a').obs(5060, 'pg-recovery', 'pg-a', 'down')
    .obs(7000, 'pg-recovery', 'pg-b', 'primary').obs(16_000, 'pg-recovery', 'pg-a', 'replica').complete(20_100);
}

describe('no pass without evidence', () => {
  it('a store whose final primary could not be read makes lost writes unknown, naming the store and the error', () => {
    const j = pgKill();
    j.ledger(19_000, { postgres: { primary: 'pg-b' }, redis: { primary: 'redis-a', error: 'reading redis-a failed: connect ECONNREFUSED' } });
    const h = j.history();
    const slo = by(judge(h, { stores: STORES, slos: slos({ maxLostAckedWrites: 0 }) })).maxLostAckedWrites!;
    expect(slo).toMatchObject({ verdict: 'unknown', observed: null });
    expect(slo.evidence).toMatch(/redis: reading redis-a failed: connect ECONNREFUSED/);
    // An indeterminate write whose store could not be read is not "not committed".
    const t = tallyWrites(h);
    expect(t.indeterminateNotCommitted).toBe(0);
    expect(t.lost).toBeNull();
  });

  it('the readable stores alone may already exceed the limit: then it fails', () => {
    const j = pgKill();
    const ids = j.lines.filter((e) => e.type === 'op-end' && e.outcome === 'ok').slice(0, 3).map((e) => String(e.op));
    j.ledger(19_000, { postgres: { primary: 'pg-b', missing: ids }, redis: { primary: null, error: 'redis had no single primary to read from' } });
    expect(by(judge(j.history(), { stores: STORES, slos: slos({ maxLostAckedWrites: 2 }) })).maxLostAckedWrites).toMatchObject({ verdict: 'fail', observed: 3 });
  });

  it('observers that could not log in give no role evidence: split brain and failovers are unknown, not 0', () => {
    const j = new Journal().obs(0, 'pg-recovery', 'pg-a', 'down').obs(0, 'pg-recovery', 'pg-b', 'down').obs(0, 'redis-role', 'redis-a', 'primary').obs(0, 'redis-role', 'redis-b', 'replica');
    j.ops('app-a', 0, 10_000, 100, () => pgNodes('pg-a'));
    j.fault('f1', 3000, 6000, ['pg-a']).complete(10_100);
    const out = by(judge(j.history(), { stores: { postgres: PG }, slos: slos({ noSplitBrain: true, maxFailovers: 1, maxFailoverTime: '10s' }) }));
    expect(out.noSplitBrain).toMatchObject({ verdict: 'unknown', observed: null });
    expect(out.noSplitBrain!.evidence).toMatch(/every pg-recovery answer was "down"/);
    expect(out['maxFailovers[postgres]']).toMatchObject({ verdict: 'unknown' });
    expect(out['maxFailoverTime[postgres]']).toMatchObject({ verdict: 'unknown' });
  });

  it('with observers off a single-value maxFailoverTime is still judged (unknown), never dropped', () => {
    const j = new Journal();
    j.ops('app-a', 0, 10_000, 100);
    j.fault('f1', 3000, 6000, ['redis-a']).complete(10_100);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxFailoverTime: '10s', noSplitBrain: true }) });
    expect(jd.slos.map((s) => [s.name, s.verdict])).toEqual([['maxFailoverTime[redis]', 'unknown'], ['maxErrorRateAfter', 'pass'], ['noSplitBrain', 'unknown']]);
    expect(jd.verdict).toBe('unknown');
  });

  it('every declared SLO is in the list, even when nothing failed over and no fault hit a primary', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 10_000, 100, () => pgNodes('pg-a'));
    j.fault('f1', 3000, 6000, ['app-b']).complete(10_100);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxFailoverTime: '10s' }) });
    expect(jd.slos).toHaveLength(2); // maxFailoverTime, and the default maxErrorRateAfter
    expect(by(jd).maxFailoverTime).toMatchObject({ verdict: 'pass', observed: null });
  });
});

describe('the run verdict: one set of rules, live and re-judged', () => {
  const passing = () => {
    const j = pgKill();
    j.ledger(19_000, { postgres: { primary: 'pg-b' }, redis: { primary: 'redis-a' } });
    return j;
  };
  const verdictOf = (j: Journal) => {
    const h = j.history();
    return runVerdict(h, judge(h, { stores: STORES, slos: slos({ maxLostAckedWrites: 0 }) }));
  };

  it('passes a clean run', () => {
    expect(verdictOf(passing().line(20_000, 'cleanup', { verdict: 'ok' }))).toMatchObject({ verdict: 'pass', cleanup: 'ok' });
  });
  it('a breached steady-state probe fails it', () => {
    const r = verdictOf(passing().line(6000, 'probe', { phase: 'during', probe: 'app answers', ok: false, detail: '503' }));
    expect(r.verdict).toBe('fail');
    expect(r.reasons.join()).toMatch(/breached during the run 1 time/);
  });
  it('a stopped timeline (a breach abort) fails it; an interruption leaves it unknown', () => {
    expect(verdictOf(passing().line(6000, 'timeline-stopped', { kind: 'Breach', reason: 'steady state breached' })).verdict).toBe('fail');
    expect(verdictOf(passing().line(6000, 'timeline-stopped', { kind: 'Interrupted', reason: 'interrupted by SIGINT' })).verdict).toBe('unknown');
  });
  it('primaries that could not be placed as given leave it unknown, naming the store and why', () => {
    const r = verdictOf(passing().line(10, 'place-failed', { store: 'redis', wanted: 'redis-b', error: 'no Sentinel started a failover' }).line(20_000, 'cleanup', { verdict: 'ok' }));
    expect(r.verdict).toBe('unknown');
    expect(r.reasons[0]).toBe('given.primaries: redis-b could not be made the redis primary before any fault: no Sentinel started a failover');
  });
  it('records where the primaries were when the timeline started', () => {
    const h = passing().line(2000, 'primaries', { primaries: { postgres: 'pg-a', redis: null } }).history();
    expect(h.run.primariesAtStart).toEqual({ postgres: 'pg-a', redis: null });
  });
  it('a fault that failed to inject leaves it unknown', () => {
    expect(verdictOf(passing().line(5000, 'fault-inject-failed', { id: 'f2', error: 'no such container' }))).toMatchObject({ verdict: 'unknown', reasons: [expect.stringMatching(/f2 could not be injected/)] });
  });
  it('failed cleanup is reported', () => {
    expect(verdictOf(passing().line(20_000, 'cleanup', { verdict: 'failed', leftoversRemaining: ['toxic x'] })).cleanup).toBe('failed');
  });
  it('a journal with no end (the process died) is unknown', () => {
    const j = passing();
    j.lines.splice(j.lines.findIndex((e) => e.type === 'run-complete'), 1);
    expect(verdictOf(j)).toMatchObject({ verdict: 'unknown', cleanup: 'failed', reasons: [expect.stringMatching(/no end/)] });
  });
  it('a steady state not restored after the heal fails it', () => {
    expect(verdictOf(passing().line(19_000, 'probe', { phase: 'after', probe: 'two replicas', ok: false, detail: 'pg-a: starting' })).verdict).toBe('fail');
  });

  it('open windows end at the last evidence: lines after it (ledger, run-end) change no figure', () => {
    // pg-b is promoted and pg-a is never seen again: every open window ends with the evidence.
    const j = healthy(new Journal());
    j.ops('app-a', 0, 15_000, 100, (t) => (t >= 5000 ? { outcome: 'fail', ms: 2000 } : pgNodes('pg-a')));
    j.fault('f1', 5000, null, ['pg-a']).obs(9000, 'pg-recovery', 'pg-b', 'primary').complete(17_000);
    const live = judge(j.history(), { stores: STORES, slos: slos({ maxUnavailableTime: '30s', noSplitBrain: true }) });
    j.line(18_500, 'cleanup', { verdict: 'ok' }).line(18_600, 'run-end', { verdict: 'fail' });
    const again = judge(j.history(), { stores: STORES, slos: slos({ maxUnavailableTime: '30s', noSplitBrain: true }) });
    expect(JSON.stringify(again)).toBe(JSON.stringify(live));
    // From +5.0 s to the last evidence, the last failed write's answer at 14.9 s + 2 s = 16.9 s.
    expect(by(live).maxUnavailableTime!.observed).toBe(11_900);
  });
});

describe('figures that mean what they say', () => {
  it('system unavailability is time in which no client succeeded; each client has its own windows', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 30_000, 200, (t) => (t >= 5000 && t < 25_000 ? { outcome: 'fail' } : {}));
    j.ops('app-b', 100, 30_000, 200);
    j.fault('f1', 5000, 25_000, ['app-a']).complete(30_100);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxUnavailableTime: '1s' }) });
    expect(by(jd).maxUnavailableTime).toMatchObject({ verdict: 'pass', observed: 0 });
    expect(jd.unavailableByClient['app-a']).toEqual([{ start: 0, end: 20_000 }]);
    const per = judge(j.history(), { stores: STORES, slos: slos({ maxUnavailableTime: { limit: '1s', perClient: true } }) });
    expect(by(per)['maxUnavailableTime[perClient]']).toMatchObject({ verdict: 'fail', observed: 20_000 });
  });

  it('latency percentiles are observed values, exact to the millisecond, by nearest rank', () => {
    const j = healthy(new Journal());
    let k = 0;
    // 100 writes during the fault: 98 at 12 ms, then 5,001 and 7,917 ms (a histogram of 3 digits would round those).
    j.ops('app-a', 3000, 13_000, 100, () => ({ ms: [12, 5001, 7917][Math.max(0, (k++) - 97)]! }));
    j.fault('f1', 3000, 13_000, ['pg-a']).complete(16_000);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxP99DuringFault: '6s' }) });
    expect(jd.latency.all.during).toEqual({ count: 100, p50: 12, p90: 12, p99: 5001, max: 7917 });
    expect(by(jd).maxP99DuringFault).toMatchObject({ verdict: 'pass', observed: 5001 });
  });

  it('latency during the fault counts every write, a timeout at its timeout', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 3000, 100);
    let k = 0;
    j.ops('app-a', 3000, 13_000, 100, () => (k++ % 10 === 0 ? { ms: 10 } : { outcome: 'indeterminate', ms: 2000 }));
    j.fault('f1', 3000, 13_000, ['pg-a']).complete(16_000);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxP99DuringFault: '500ms' }) });
    expect(by(jd).maxP99DuringFault).toMatchObject({ verdict: 'fail', observed: 2000 });
    expect(jd.latency.ok.during).toMatchObject({ count: 10, p99: 10 });
    expect(jd.latency.all.during!.count).toBe(100);
  });

  it('each failover counts from the fault that hit that store, not from the run\'s first fault', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 45_000, 100, (t) => ({ nodes: { postgres: t < 35_000 ? 'pg-a' : 'pg-b', redis: t < 12_000 ? 'redis-a' : 'redis-b' } }));
    j.fault('f1', 10_000, 20_000, ['redis-a'], 'SIGKILL to redis-a').obs(11_500, 'redis-role', 'redis-b', 'primary').obs(10_050, 'redis-role', 'redis-a', 'down');
    j.fault('f2', 30_000, 40_000, ['pg-a'], 'SIGKILL to pg-a').obs(30_040, 'pg-recovery', 'pg-a', 'down').obs(35_310, 'pg-recovery', 'pg-b', 'primary');
    j.complete(45_100);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxFailoverTime: '10s' }) });
    expect(jd.failover.postgres).toMatchObject({ cause: { id: 'f2' }, promotedMs: 5310, unreachableMs: 40 });
    expect(jd.failover.redis).toMatchObject({ cause: { id: 'f1' }, promotedMs: 1500 });
  });

  it('a Sentinel cut before the master kill: measured from the kill; a store that did not fail over has no recovery time', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 20_000, 100);
    j.fault('f1', 0, 15_000, ['sentinel-b', 'redis-a'], 'isolate sentinel-b').fault('f2', 2000, 12_000, ['redis-a'], 'SIGKILL to redis-a');
    j.obs(2050, 'redis-role', 'redis-a', 'down').obs(4200, 'redis-role', 'redis-b', 'primary').sentinel(3100, '+sdown', 'master mymaster redis-a 6379').complete(20_100);
    const jd = judge(j.history(), { stores: STORES, slos: {} });
    expect(jd.failover.redis).toMatchObject({ cause: { id: 'f2' }, detectedMs: 1100, promotedMs: 2200 });
    expect(jd.failover.postgres).toMatchObject({ newPrimary: null, recoveredMs: null, promotedMs: null });
  });

  it('detection is the system noticing (Sentinel, DCS leader key), and the observer losing contact is reported apart', () => {
    const j = pgKill();
    j.obs(0, 'dcs-leader', 'etcd-a', 'pg-a', { store: 'postgres' }).obs(6400, 'dcs-leader', 'etcd-a', 'none', { store: 'postgres' });
    const f = judge(j.history(), { stores: STORES, slos: {} }).failover.postgres!;
    expect(f).toMatchObject({ unreachableMs: 60, detectedMs: 1400, promotedMs: 2000 });
    expect(f.detectedBy).toMatch(/dcs-leader etcd-a: no leader/);
  });

  it('an observer losing a source ("down"), or a router still listing the old primary among others, is not detection', () => {
    const j = pgKill();
    j.obs(0, 'haproxy', 'haproxy-a', 'pg-a', { store: 'postgres' }).obs(5200, 'haproxy', 'haproxy-a', 'down', { store: 'postgres' })
      .obs(5300, 'haproxy', 'haproxy-a', 'pg-a+pg-b', { store: 'postgres' }).obs(5900, 'haproxy', 'haproxy-a', 'none', { store: 'postgres' })
      .obs(0, 'dcs-leader', 'etcd-b', 'pg-a', { store: 'postgres' }).obs(5100, 'dcs-leader', 'etcd-b', 'down', { store: 'postgres' });
    const f = judge(j.history(), { stores: STORES, slos: {} }).failover.postgres!;
    expect(f).toMatchObject({ detectedMs: 900, detectedBy: 'haproxy haproxy-a: no server up instead of pg-a' });
  });

  it('a Redis promotion is dated by the node saying master, not by Sentinel announcing it', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 10_000, 100);
    j.fault('f1', 2000, 8000, ['redis-a']).obs(2050, 'redis-role', 'redis-a', 'down')
      .sentinel(3100, '+sdown', 'master mymaster redis-a 6379')
      .sentinel(3400, '+failover-state-send-slaveof-noone', 'slave redis-b:6380 redis-b 6380 @ mymaster redis-a 6379')
      .obs(3462, 'redis-role', 'redis-b', 'primary').complete(10_100);
    expect(judge(j.history(), { stores: STORES, slos: {} }).failover.redis).toMatchObject({ detectedMs: 1100, promotedMs: 1462 });
  });

  it('the write gap is the longest silence between acknowledgements, however writes in flight land', () => {
    // Writes stop at the kill (2 s); two sent before it are acknowledged by the new primary at 9.5 s,
    // just after its promotion at 9.4 s; the first write sent after the promotion answers at 9.6 s.
    const j = healthy(new Journal());
    j.ops('app-a', 0, 2000, 100, () => pgNodes('pg-a'));
    j.op({ client: 'app-a', due: 1950, ms: 7550, ...pgNodes('pg-b') });
    j.ops('app-a', 9500, 12_000, 100, () => ({ ms: 100, ...pgNodes('pg-b') }));
    j.fault('f1', 2000, 8000, ['pg-a']).obs(2050, 'pg-recovery', 'pg-a', 'down').obs(9400, 'pg-recovery', 'pg-b', 'primary').complete(12_100);
    expect(judge(j.history(), { stores: STORES, slos: {} }).failover.postgres!.writeGapMs).toBe(9500 - 1910);
  });

  it('split brain needs writes: a restarted old master that took none is a claim overlap, not split brain', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 30_000, 100, (t) => ({ nodes: { postgres: 'pg-a', redis: t < 2000 ? 'redis-a' : 'redis-b' } }));
    j.fault('f1', 2000, 12_000, ['redis-a']).obs(2050, 'redis-role', 'redis-a', 'down').obs(3500, 'redis-role', 'redis-b', 'primary')
      .obs(12_500, 'redis-role', 'redis-a', 'primary').obs(22_000, 'redis-role', 'redis-a', 'replica').complete(30_100);
    const ok = judge(j.history(), { stores: STORES, slos: slos({ noSplitBrain: true, maxDualPrimaryClaim: '1s' }) });
    expect(by(ok).noSplitBrain).toMatchObject({ verdict: 'pass', observed: 0 });
    expect(ok.dualPrimaryClaimMs).toBe(9500);
    expect(by(ok).maxDualPrimaryClaim).toMatchObject({ verdict: 'fail', observed: 9500 });

    // The same, but app-b kept writing to the restarted redis-a: two members accepted writes at once.
    j.ops('app-b', 13_000, 21_000, 100, () => ({ nodes: { postgres: 'pg-a', redis: 'redis-a' } }));
    const bad = judge(j.history(), { stores: STORES, slos: slos({ noSplitBrain: true }) });
    expect(by(bad).noSplitBrain!.verdict).toBe('fail');
    expect(bad.splitBrainMs).toBeGreaterThan(0);
  });

  it('writes to a superseded primary: ordered by promotion, and an observer losing contact does not end primacy', () => {
    // pg-a paused at 5 s (observer "down"), pg-b promoted at 10 s, pg-a unpaused at 15 s still
    // saying primary until demoted at 17 s; app-a's stale connection writes to pg-a 15..17 s.
    const j = healthy(new Journal());
    j.ops('app-b', 0, 25_000, 100, (t) => (t >= 5000 && t < 10_000 ? { outcome: 'fail' } : pgNodes(t < 5000 ? 'pg-a' : 'pg-b')));
    j.ops('app-a', 15_000, 17_000, 100, () => pgNodes('pg-a'));
    j.fault('f1', 5000, 15_000, ['pg-a'], 'pause pg-a').obs(5100, 'pg-recovery', 'pg-a', 'down').obs(10_000, 'pg-recovery', 'pg-b', 'primary')
      .obs(15_050, 'pg-recovery', 'pg-a', 'primary').obs(17_000, 'pg-recovery', 'pg-a', 'replica').complete(25_100);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ noSplitBrain: true }) });
    expect(by(jd).noSplitBrain!.verdict).toBe('fail');
    // pg-a's 20 stale writes are to the superseded primary; none of the legitimate pg-b's 70.
    expect(by(jd).noSplitBrain!.evidence).toMatch(/pg-b acknowledged 70 and pg-a acknowledged 20 write\(s\) in \+10000\.\.\+17000 ms; 20 write\(s\) acknowledged by a superseded primary/);
  });

  it('error rate back: one straggler failure does not move it, one in the last second is not "never", no baseline is unknown', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 30_000, 50, (t) => ((t >= 5000 && t < 8000) || t === 25_500 || t === 29_800 ? { outcome: 'fail' } : {}));
    j.fault('f1', 5000, 6000, ['pg-a']).complete(30_100);
    const h = j.history();
    expect(errorRateBack(h, undefined, 5000, 5000).ms).toBe(3000);
    const empty = errorRateBack(h, undefined, 5000, 0);
    expect(empty).toMatchObject({ ms: null, evidence: expect.stringMatching(/no error-rate baseline: 0 write/) });
  });

  it('a failover long after its heal is unnecessary; one within the settle window is not', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 80_000, 100, (t) => pgNodes(t < 70_000 ? 'pg-a' : 'pg-b'));
    j.fault('f1', 2000, 5000, ['pg-a']).obs(70_000, 'pg-recovery', 'pg-a', 'replica').obs(70_300, 'pg-recovery', 'pg-b', 'primary').complete(80_100);
    expect(judge(j.history(), { stores: STORES, slos: {} }).unnecessaryFailovers).toBe(1);
    expect(judge(j.history(), { stores: STORES, slos: {}, judging: { settleAfterHeal: 70_000 } }).unnecessaryFailovers).toBe(0);
  });

  it('a failover is dated by the promotion, not by the cut-off old primary giving up its claim after the heal', () => {
    // The Redis master is cut off 1.0..7.0 s; redis-b is promoted at 3.0 s; the old master, which
    // the observers still reach, says master until the Sentinels demote it at 20 s, past the settle
    // window: the failover is still the cut's, promoted 2 s into it.
    const j = healthy(new Journal());
    j.ops('app-a', 0, 25_000, 100, (t) => (t >= 1000 && t < 3200 ? { outcome: 'fail' } : { nodes: { postgres: 'pg-a', redis: t < 1000 ? 'redis-a' : 'redis-b' } }));
    j.fault('f1', 1000, 7000, ['redis-a'], 'isolate redis-a').obs(3000, 'redis-role', 'redis-b', 'primary').obs(20_000, 'redis-role', 'redis-a', 'replica').complete(25_100);
    const f = judge(j.history(), { stores: STORES, slos: {} }).failover.redis!;
    expect(f).toMatchObject({ oldPrimary: 'redis-a', newPrimary: 'redis-b', cause: { id: 'f1' }, necessary: true, promotedMs: 2000 });
  });

  it('after recovery the error rate is judged against the pre-fault band by default', () => {
    const j = healthy(new Journal());
    j.ops('app-a', 0, 30_000, 100, (t) => (t >= 20_000 && t % 300 === 0 ? { outcome: 'fail' } : {}));
    j.fault('f1', 5000, 10_000, ['pg-a']).line(15_000, 'probe', { phase: 'after', probe: 'p', ok: true, detail: '' }).line(15_000, 'steady-restored').complete(30_100);
    const jd = judge(j.history(), { stores: STORES, slos: {} });
    expect(jd.restoredT).toBe(15_000);
    expect(by(jd).maxErrorRateAfter).toMatchObject({ verdict: 'fail', limit: 'baseline' });
    expect(by(judge(j.history(), { stores: STORES, slos: slos({ maxErrorRateAfter: 0.5 }) })).maxErrorRateAfter!.verdict).toBe('pass');
  });

  it('lost writes are explained: which node acknowledged them, when, and the promotion that dropped them', () => {
    const j = healthy(new Journal());
    const lost = j.ops('app-a', 0, 10_000, 100, (t) => pgNodes(t < 5000 ? 'pg-a' : 'pg-b')).slice(20, 40); // due 2.0..3.9 s, acknowledged by pg-a
    j.fault('f1', 4000, 8000, ['pg-a']).obs(4100, 'pg-recovery', 'pg-a', 'down').obs(5000, 'pg-recovery', 'pg-b', 'primary');
    j.ledger(9500, { postgres: { primary: 'pg-b', missing: lost }, redis: { primary: 'redis-a' } }).complete(10_100);
    const jd = judge(j.history(), { stores: STORES, slos: slos({ maxLostAckedWrites: 0 }) });
    expect(jd.writes.lostSpans).toEqual([{ store: 'postgres', node: 'pg-a', count: 20, fromT: 2010, toT: 3910, droppedBy: { node: 'pg-b', t: 5000 } }]);
    expect(by(jd).maxLostAckedWrites!.evidence).toMatch(/20 acknowledged by pg-a \(postgres\) -1990\.\.-90 ms, dropped when pg-b was promoted at \+1000 ms/);
  });
});

describe('scale', () => {
  it('tallies 200,000 lost writes (no spread of a huge array into Math.max)', () => {
    const j = healthy(new Journal());
    const ids = j.ops('app-a', 0, 200_000, 1, () => pgNodes('pg-a'));
    j.ledger(200_100, { postgres: { primary: 'pg-a', missing: ids }, redis: { primary: 'redis-a' } }).complete(200_200);
    const t = tallyWrites(j.history());
    expect(t.lost).toBe(200_000);
    expect(t.lostWindowMs).toBe(199_999);
  });
});


