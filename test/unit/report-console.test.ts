// The terminal summary and progress line, read as plain text (colours stripped).
import { stripVTControlCharacters as plain } from 'node:util';
import { describe, expect, it } from 'vitest';
import { progressLine, renderSummary } from '../../src/report/console.ts';
import { sampleHistory, sampleJudgement } from '../fixtures/report/sample.ts';

const row = (text: string, first: string): string[] | undefined =>
  text.split('\n').map((l) => l.split('│').map((c) => c.trim()).filter(Boolean)).find((cells) => cells[0] === first);

describe('console summary', () => {
  const h = sampleHistory();
  const text = plain(renderSummary(h, sampleJudgement(h)));

  it('heads with the SLO verdict and lists every SLO: observed, limit, verdict', () => {
    expect(text.split('\n')[0]).toBe('postgres-primary-kill: SLOs FAIL (run c0ffee01)');
    expect(row(text, 'maxFailoverTime[postgres]')).toEqual(['maxFailoverTime[postgres]', '6.44 s', '30 s', 'PASS']);
    expect(row(text, 'maxUnavailableTime')).toEqual(['maxUnavailableTime', '6.2 s', '5 s', 'FAIL']);
    expect(row(text, 'maxLostAckedWrites')).toEqual(['maxLostAckedWrites', '-', '0', 'UNKNOWN']);
  });

  it('failover phases per store, writes, split brain, latency per phase', () => {
    // Each failover, with its cause; redis did not fail over, so it has no row.
    expect(row(text, 'postgres')).toEqual(['postgres', 'pg-a -> pg-b', 'f1', '+600 ms', '+600 ms', '+6 s', '+6.44 s', '6.44 s']);
    expect(text).not.toMatch(/│ redis /);
    expect(text).toContain('writes: 1160 attempted, 1036 acked, 0 lost, 60 indeterminate, 64 failed; split brain: none');
    // Every write due during the fault, and the successful ones only.
    expect(row(text, 'during')).toEqual(['during', '200', '2 s', '2 s', '76', '400 ms', '401 ms']);
  });
});

describe('progress line', () => {
  it('is one line with phase, time, rate, errors and each store primary', () => {
    const line = plain(progressLine({ phase: 'during', t: 23_456, opsPerS: 19.84, errors: 4, primaries: { postgres: null, redis: 'redis-a' } }));
    expect(line).not.toContain('\n');
    expect(line.split(/\s{2,}/)).toEqual(['during', '+23.5 s', '19.8 ops/s', '4 errors', 'postgres=none redis=redis-a']);
  });
});
