// Slices of a list for CI jobs (--shard i/n) and joining what the jobs wrote (faultline merge):
// every item runs in exactly one slice, and the merged table, JUnit file and rows say what each
// run's own files say.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/run-result.ts';
import { findRuns, mergeJUnit, mergeRows } from '../../src/report/merge.ts';
import { chartPoints, renderResultsTable } from '../../src/report/results.ts';
import { parseShard, sliceForShard } from '../../src/runner/shard.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--shard i/n', () => {
  it('refuses what is not a slice, naming the flag and the fix', () => {
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '1/3/4', '-1/2']) {
      expect(() => parseShard(bad)).toThrow(/--shard .* is not a slice i\/n/);
    }
    expect(parseShard(' 2/5 ')).toEqual({ index: 2, total: 5 });
  });

  it('the n slices run every item exactly once, in order, sizes within one', () => {
    fc.assert(fc.property(fc.nat(40), fc.integer({ min: 1, max: 9 }), (len, n) => {
      const items = Array.from({ length: len }, (_, i) => i);
      const slices = Array.from({ length: n }, (_, k) => sliceForShard(items, { index: k + 1, total: n }));
      expect(slices.flat()).toEqual(items);
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }));
  });
});

/** A run's result.json and junit.xml as a run writes them, with the figures the rows read. */
function writeRun(root: string, o: { experiment: string; runId: string; verdict: 'pass' | 'fail' | 'unknown'; promoted: number | null; lost: number | null; params?: Record<string, string>; junit?: boolean }): string {
  const runDir = join(root, `20261201-000000-${o.experiment}-${o.runId}`);
  mkdirSync(runDir, { recursive: true });
  const result = {
    experiment: o.params ? `${o.experiment} [${Object.entries(o.params).map(([k, v]) => `${k}=${v}`).join(' ')}]` : o.experiment,
    runId: o.runId, runDir, seed: 1, project: 'p', verdict: o.verdict, reasons: o.verdict === 'pass' ? [] : ['maxLostAckedWrites: 12 > 0'],
    cleanup: { verdict: 'ok', healErrors: [], leftoversHealed: [], leftoversRemaining: [] },
    judgement: {
      failover: { postgres: { promotedMs: o.promoted }, redis: { promotedMs: o.promoted === null ? null : o.promoted / 2 } },
      unavailable: [{ start: 100, end: 1100 }, { start: 2000, end: 2500 }], writes: { lost: o.lost }, splitBrainMs: 0,
    },
    ...(o.params ? { sweep: { experiment: o.experiment, params: o.params } } : {}),
  } as unknown as RunResult;
  writeFileSync(join(runDir, 'result.json'), JSON.stringify(result));
  const failures = o.verdict === 'fail' ? 1 : 0, errors = o.verdict === 'unknown' ? 1 : 0;
  if (o.junit !== false) writeFileSync(join(runDir, 'junit.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="faultline" tests="3" failures="${failures}" errors="${errors}" skipped="0" time="1.500">\n  <testsuite name="${result.experiment}" tests="3" failures="${failures}" errors="${errors}" skipped="0" time="1.500">\n    <testcase classname="x" name="run"></testcase>\n  </testsuite>\n</testsuites>\n`);
  return runDir;
}

describe('faultline merge', () => {
  const a = join(dir, 'slice-1'), b = join(dir, 'slice-2');
  writeRun(a, { experiment: 'sweep-me', runId: 'r3', verdict: 'fail', promoted: 9000, lost: 12, params: { 'sentinel.down-after-milliseconds': '10000' } });
  writeRun(a, { experiment: 'sweep-me', runId: 'r1', verdict: 'pass', promoted: 2500, lost: 0, params: { 'sentinel.down-after-milliseconds': '2000' } });
  writeRun(b, { experiment: 'sweep-me', runId: 'r2', verdict: 'unknown', promoted: null, lost: null, params: { 'sentinel.down-after-milliseconds': '5000' }, junit: false });
  writeRun(b, { experiment: 'another', runId: 'r4', verdict: 'pass', promoted: 4000, lost: 0 });

  it('finds every run of every slice once (a directory and its parent both given)', () => {
    const runs = findRuns([a, b, dir]);
    expect(runs.map((r) => r.result.runId).sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('rows by experiment, then by parameter value as a number, with the figures of each run', () => {
    const rows = mergeRows(findRuns([a, b]), dir);
    expect(rows.map((r) => [r.experiment, r.params?.['sentinel.down-after-milliseconds'] ?? null, r.verdict])).toEqual([
      ['another', null, 'pass'], ['sweep-me', '2000', 'pass'], ['sweep-me', '5000', 'unknown'], ['sweep-me', '10000', 'fail'],
    ]);
    const r3 = rows.find((r) => r.runId === 'r3')!;
    expect([r3.failoverMs, r3.unavailableMs, r3.lostAckedWrites, r3.promotedMs]).toEqual([9000, 1500, 12, { postgres: 9000, redis: 4500 }]);
    // Only runs with both figures are plotted: r2 (failover and lost unknown) is in the table only.
    expect(chartPoints(rows).map((p) => [p.x, p.y])).toEqual([[2500, 0], [4000, 0], [9000, 12]]);
    expect(renderResultsTable(rows)).toMatch(/4 run\(s\): 2 pass, 1 fail, 1 unknown/);
  });

  it('one JUnit file: every run\'s suite, counts summed, a run without junit.xml an error', () => {
    const xml = mergeJUnit(findRuns([a, b]));
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as { testsuites: { tests: string; failures: string; errors: string; testsuite: { name: string }[] } };
    expect(doc.testsuites.testsuite).toHaveLength(4);
    expect([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.errors]).toEqual(['10', '1', '1']);
    expect(xml).toMatch(/<error message="no junit.xml in [^"]*r2/);
  });

  it('refuses a directory that is missing, empty of runs, or holds a broken result', () => {
    expect(() => findRuns([join(dir, 'nope')])).toThrow(/is not a directory/);
    mkdirSync(join(dir, 'empty'));
    expect(() => findRuns([join(dir, 'empty')])).toThrow(/holds no run/);
    const broken = join(dir, 'broken', 'run-x');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'result.json'), '{"experiment": ');
    expect(() => findRuns([join(dir, 'broken')])).toThrow(/result.json is not JSON/);
  });
});
