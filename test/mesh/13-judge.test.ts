// Judging failover on the real mesh: a workload through both apps, observers at 20 Hz, a real
// SIGKILL of each store's primary; the verdict's figures must agree with what the history shows.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultlineMatchers, readJournal, runForTest, toJsonReport, type RunResult } from '../../src/index.ts';
import { TEST_ENV } from './env.ts';
import { Compose } from '../../src/runtime/compose.ts';
import { rejudgedRunsDir, target, waitHealthy } from './helpers.ts';

expect.extend(faultlineMatchers);
const runsDir = rejudgedRunsDir('fl-judge-', 2);
const env = { ...process.env, ...TEST_ENV, FAULTLINE_LOCK_DIR: runsDir };
const say = (l: string) => process.env.FAULTLINE_VERBOSE && console.log(l);

async function expectPhasesInOrder(r: RunResult, store: string): Promise<void> {
  const f = r.judgement.failover[store]!;
  const compose = new Compose(target);
  const appLogs = f.recoveredMs === null ? (await Promise.all(['app-a', 'app-b'].map((a) => compose.logs(a, 40)))).join('\n') : '';
  console.log(`[judge] ${r.experiment}: ${store} ${f.oldPrimary} -> ${f.newPrimary}; detected +${f.detectedMs} ms, promoted +${f.promotedMs} ms, clients recovered +${f.recoveredMs} ms, error rate back +${f.errorRateBaselineMs} ms; writes ${JSON.stringify(r.judgement.writes)}`);
  // The primary it started with is the node the fault killed.
  expect(r.faults[0]!.description).toContain(f.oldPrimary!);
  expect(f.newPrimary).not.toBeNull();
  expect(f.newPrimary).not.toBe(f.oldPrimary);
  expect(f.detectedMs).not.toBeNull();
  expect(f.detectedMs!).toBeLessThanOrEqual(f.promotedMs!);
  expect(f.recoveredMs, `clients never all wrote again after the failover; the apps' last log lines:\n${appLogs}`).not.toBeNull();
  expect(f.promotedMs!).toBeLessThanOrEqual(f.recoveredMs!);
}

describe('judging failover', () => {
  beforeAll(async () => {
    await waitHealthy();
  });

  it('Redis master SIGKILL: phases in order, every write accounted for, reports written', async () => {
    const r = await runForTest({
      name: 'judge-redis-kill', description: 'mesh test',
      steadyState: { probes: [{ name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] }] },
      workload: { rate: 20, warmup: '2s', cooldown: '4s' },
      timeline: [{ fault: { kind: 'kill', node: { primaryOf: 'redis' } }, for: '12s' }],
      slos: { maxFailoverTime: { redis: '15s' }, noSplitBrain: true, maxFailovers: { postgres: 0 } },
    }, { seed: 1, env, runsDir, onProgress: say });
    await expectPhasesInOrder(r, 'redis');
    expect(r).toHaveHealed();
    const w = r.judgement.writes;
    expect(w.attempted).toBeGreaterThanOrEqual(20 * 16);
    expect(w.acked + w.failed + w.indeterminate).toBe(w.attempted);
    expect(w.acked).toBeGreaterThan(20 * 2); // the warm-up alone
    expect(w.indeterminateCommitted + w.indeterminateNotCommitted).toBe(w.indeterminate);
    // Sentinels that all see the master down at once may split their votes; the history shows it.
    const aborts = readJournal(r.reports.journal).entries.filter((e) => e.type === 'sentinel-event' && e.channel === '-failover-abort-not-elected').length;
    if (aborts) console.log(`[judge] ${aborts} Sentinel failover attempt(s) aborted (split vote) before the promotion at +${r.judgement.failover.redis!.promotedMs} ms`);
    expect(r.judgement.unavailable.length).toBeGreaterThanOrEqual(1);
    expect(r.judgement.latency.ok.before!.count).toBeGreaterThan(20);
    // Every SLO verdict shows observed against limit.
    for (const s of r.judgement.slos) expect(s).toMatchObject({ name: expect.any(String), verdict: expect.stringMatching(/pass|fail|unknown/), limit: expect.anything() });
    expect(r.judgement.slos.find((s) => s.name === 'maxFailovers[postgres]')).toMatchObject({ verdict: 'pass', observed: 0 });
    // The JSON document has the documented shape.
    const doc = toJsonReport(r);
    expect(doc).toMatchObject({ experiment: 'judge-redis-kill', verdict: expect.stringMatching(/pass|fail|unknown/), cleanup: 'ok', runDir: r.runDir, splitBrainMs: expect.any(Number) });
    expect(doc.failover.redis).toMatchObject({ detectedMs: expect.any(Number), promotedMs: expect.any(Number), recoveredMs: expect.any(Number) });
    expect(doc.writes).toMatchObject({ attempted: w.attempted, acked: w.acked, lost: w.lost, indeterminate: w.indeterminate });
    // Reports in the run directory; the journal alone rebuilds the same figures.
    expect(existsSync(join(r.runDir, 'junit.xml'))).toBe(true);
    expect(existsSync(join(r.runDir, 'report.html'))).toBe(true);
    expect(readFileSync(join(r.runDir, 'junit.xml'), 'utf8')).toMatch(/<testcase[^>]+maxFailoverTime\[redis\]/);
    const j = readJournal(join(r.runDir, 'journal.jsonl'));
    expect(j.entries.filter((e) => e.type === 'op-invoke')).toHaveLength(w.attempted);
    expect(j.entries.some((e) => e.type === 'sentinel-event' && e.channel === '+switch-master')).toBe(true);
    expect(j.entries.find((e) => e.type === 'ledger')).toBeDefined();
  });

  it('Postgres primary SIGKILL: the synchronous standby takes over and no acknowledged write is lost', async () => {
    await waitHealthy();
    const r = await runForTest({
      name: 'judge-postgres-kill', description: 'mesh test',
      steadyState: { probes: [{ name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] }], recoverWithin: '90s' },
      workload: { rate: 24, warmup: '2s', cooldown: '4s', direct: ['postgres', 'redis'] },
      // Down until the standby is promoted (after the leader key's ttl, 20 s, Patroni 4's minimum:
      // a shorter kill brings the old primary back while it still holds the key), and 5 s on.
      timeline: [
        { fault: { kind: 'kill', node: { primaryOf: 'postgres' } } },
        { waitUntil: { role: { store: 'postgres', primaries: 1 } }, timeout: '60s' },
        { wait: '5s' },
      ],
      slos: { maxFailoverTime: { postgres: '30s' }, maxLostAckedWrites: 0, noSplitBrain: true },
    }, { seed: 1, env, runsDir, onProgress: say });
    await expectPhasesInOrder(r, 'postgres');
    expect(r).toMeetSlos();
    expect(r.judgement.writes.lost).toBe(0);
    expect(r.judgement.writes.indeterminateCommitted + r.judgement.writes.indeterminateNotCommitted).toBe(r.judgement.writes.indeterminate);
    // A quarter of the writes went straight to each store, past the apps.
    const ops = readJournal(r.reports.journal).entries.filter((e) => e.type === 'op-invoke');
    const direct = (store: string) => ops.filter((e) => e.client === store);
    expect(direct('postgres').length).toBeGreaterThan(ops.length / 5);
    expect(direct('redis').length).toBeGreaterThan(ops.length / 5);
    expect(direct('redis').every((e) => JSON.stringify(e.stores) === '["redis"]')).toBe(true);
    const ends = new Map(readJournal(r.reports.journal).entries.filter((e) => e.type === 'op-end').map((e) => [e.op, e.outcome]));
    // Redis was not faulted: the direct Redis writes all succeeded; the direct Postgres ones did not, for a while.
    expect(direct('redis').every((e) => ends.get(e.op) === 'ok')).toBe(true);
    expect(direct('postgres').some((e) => ends.get(e.op) !== 'ok')).toBe(true);
  });
});
