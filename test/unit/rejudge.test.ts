// A recorded run is judged again from its directory alone, with the SLOs and target it journaled.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceTargetPath } from '../../src/index.ts';
import { rejudge } from '../../src/runner/rejudge.ts';

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
// Removed however the tests end.
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('judging a recorded run again', () => {
  it('rebuilds the verdict from the journal, and writes the reports', async () => {
    const dir = tempDir('fl-rejudge-');
    const lines = [
      line({ t: 0, type: 'run-start', runId: 'r1', experiment: 'recorded', targetPath: referenceTargetPath(), slos: { maxLostAckedWrites: 0, maxFailoverTime: { redis: 5000 } } }),
      line({ t: 1, type: 'observe', source: 'redis-role', node: 'redis-a', store: 'redis', value: 'primary' }),
      line({ t: 1, type: 'observe', source: 'redis-role', node: 'redis-b', store: 'redis', value: 'replica' }),
      line({ t: 10, type: 'op-invoke', op: 'w1', client: 'app-a', scheduledT: 10 }),
      line({ t: 20, type: 'op-end', op: 'w1', outcome: 'ok' }),
      line({ t: 100, type: 'fault-inject', id: 'f1' }),
      line({ t: 101, type: 'touch', id: 'f1', key: 'node:redis-a' }),
      line({ t: 110, type: 'fault-injected', id: 'f1', kind: 'kill', description: 'SIGKILL to redis-a' }),
      line({ t: 150, type: 'observe', source: 'redis-role', node: 'redis-a', store: 'redis', value: 'down' }),
      line({ t: 300, type: 'sentinel-event', sentinel: 'sentinel-a', channel: '+odown', message: 'master mymaster redis-a 6379 #quorum 2/2' }),
      line({ t: 1600, type: 'observe', source: 'redis-role', node: 'redis-b', store: 'redis', value: 'primary' }),
      line({ t: 2000, type: 'op-invoke', op: 'w2', client: 'app-a', scheduledT: 2000 }),
      line({ t: 2100, type: 'op-end', op: 'w2', outcome: 'ok' }),
      line({ t: 9000, type: 'fault-healed', id: 'f1' }),
      line({ t: 9500, type: 'ledger', primary: { redis: 'redis-b', postgres: 'pg-a' }, entries: [
        { id: 'w1', acked: true, found: { postgres: true, redis: false } },
        { id: 'w2', acked: true, found: { postgres: true, redis: true } },
      ] }),
      line({ t: 9600, type: 'run-end' }),
    ];
    writeFileSync(join(dir, 'journal.jsonl'), `${lines.join('\n')}\n`);
    const r = await rejudge(dir);
    expect(r.judgement.failover.redis).toMatchObject({ oldPrimary: 'redis-a', newPrimary: 'redis-b', detectedMs: 200, promotedMs: 1500, recoveredMs: 2000 });
    // An older journal: its ledger has one entry per write, and its stores come from the target file.
    expect(r.judgement.slos.map((s) => [s.name, s.verdict, s.observed])).toEqual([['maxFailoverTime[redis]', 'pass', 2000], ['maxLostAckedWrites', 'fail', 1], ['maxErrorRateAfter', 'unknown', null]]);
    expect(r.judgement.verdict).toBe('fail');
    expect(r.run).toMatchObject({ verdict: 'fail', cleanup: 'failed' }); // no cleanup line was journaled
    expect(existsSync(r.reports.html ?? '') && existsSync(r.reports.junit ?? '')).toBe(true);
  });

  it('refuses a directory without a journal, with a coded error', async () => {
    const dir = tempDir('fl-empty-');
    await expect(rejudge(dir)).rejects.toMatchObject({ code: 'FL_BAD_INPUT' });
  });
});
