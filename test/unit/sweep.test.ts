// faultline sweep without Docker: --param checked against the variants registry (every problem,
// each naming its flag), the points as the product of the axes in the order given, each point's
// experiment carrying its settings over the experiment's own variants, shards that join into the
// whole sweep, the dry run through the CLI process, a sweep stopped before a run could start, and
// the rows, table and JUnit file from a sweep's results, sharded or not.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCodes } from '../../src/cli/exit-codes.ts';
import type { RunResult } from '../../src/core/run-result.ts';
import { isFaultlineError } from '../../src/core/errors.ts';
import { findRuns, mergeJUnit, mergeRows } from '../../src/report/merge.ts';
import { renderResultsTable } from '../../src/report/results.ts';
import { writeResults } from '../../src/report/write.ts';
import { planSweep, pointParams, runSweep } from '../../src/runner/sweep.ts';
import { checkUses, withParams } from '../../src/variants/check.ts';
import { parseSweepParams, sweepPoints } from '../../src/variants/sweep-params.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = join(import.meta.dirname, '../fixtures/experiments/sweep-redis-kill.ts');
const cli = join(import.meta.dirname, '../../src/cli/main.ts');
// Nothing listens there: a sweep that touched the mesh would fail differently (or not at all).
const noMesh = { ...process.env, NO_COLOR: '1', FAULTLINE_BIND: '127.0.0.99', DOCKER_HOST: 'tcp://127.0.0.1:1' };
const cliRun = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: noMesh });
const DOWN = 'sentinel.down-after-milliseconds';

describe('--param key=v1,v2,...', () => {
  const problems = (...flags: string[]) => parseSweepParams(flags).problems.map((p) => `${p.path}: ${p.message} (${p.fix})`);

  it('takes registry keys and whole numbers in range, in the order given', () => {
    expect(parseSweepParams([`${DOWN}=3000, 1000`, 'patroni.ttl=20,40'])).toEqual({ value: [{ key: DOWN, values: [3000, 1000] }, { key: 'patroni.ttl', values: [20, 40] }], problems: [] });
  });

  it('refuses an unknown key, naming the valid ones', () => {
    expect(problems('sentinel.down-after=1000')).toEqual([expect.stringMatching(/^--param sentinel\.down-after=1000: unknown param "sentinel\.down-after" \(use one of: patroni\.ttl, .*sentinel\.down-after-milliseconds, .*redis\.min-replicas-max-lag/)]);
  });

  it('refuses a value that is not a whole number, or out of range, naming the range', () => {
    expect(problems(`${DOWN}=1000,2.5,abc`)).toEqual([
      expect.stringMatching(/: "2\.5" is not a whole number \(each value of sentinel\.down-after-milliseconds is a whole number from 100 to 3600000 \(ms; the reference mesh's is 1000\)\)/),
      expect.stringMatching(/: "abc" is not a whole number/),
    ]);
    expect(problems(`${DOWN}=99,1000`, 'patroni.ttl=19')).toEqual([
      expect.stringMatching(/^--param sentinel\.down-after-milliseconds=99,1000: 99 is out of range for sentinel\.down-after-milliseconds \(each value is a whole number from 100 to 3600000/),
      expect.stringMatching(/^--param patroni\.ttl=19: 19 is out of range for patroni\.ttl \(each value is a whole number from 20 to 3600 \(s; the reference mesh's is 20\)\)/),
    ]);
  });

  it('refuses a key swept twice, an empty list, a stray comma, a repeated value, and no --param at all', () => {
    expect(problems(`${DOWN}=1000`, `${DOWN}=3000`)).toEqual([expect.stringMatching(/^--param sentinel\.down-after-milliseconds=3000: sentinel\.down-after-milliseconds is swept twice \(also by --param sentinel\.down-after-milliseconds=1000\)/)]);
    expect(problems(`${DOWN}=`, 'patroni.ttl= , ')).toEqual([expect.stringMatching(/: no values for sentinel\.down-after-milliseconds/), expect.stringMatching(/: no values for patroni\.ttl/)]);
    expect(problems(`${DOWN}=1000,,3000`)).toEqual([expect.stringMatching(/: an empty value \(a stray comma\?\)/)]);
    expect(problems(`${DOWN}=1000,3000,1000`)).toEqual([expect.stringMatching(/: 1000 is listed twice/)]);
    expect(problems()).toEqual([expect.stringMatching(/^--param: a sweep needs at least one --param key=v1,v2/)]);
    expect(problems('ttl')).toEqual([expect.stringMatching(/^--param ttl: not key=v1,v2,\.\.\./)]);
  });
});

describe('points', () => {
  it('are the product of the axes, first key slowest, each key\'s values in the order listed', () => {
    expect(sweepPoints([{ key: 'a', values: [3, 1] }, { key: 'b', values: [10, 20, 30] }])).toEqual([
      { a: 3, b: 10 }, { a: 3, b: 20 }, { a: 3, b: 30 }, { a: 1, b: 10 }, { a: 1, b: 20 }, { a: 1, b: 30 },
    ]);
    expect(sweepPoints([{ key: 'a', values: [5] }])).toEqual([{ a: 5 }]);
    // Keys keep the axes' order in every point (the table and result.json show them so).
    expect(Object.keys(sweepPoints([{ key: 'z', values: [1] }, { key: 'a', values: [2] }])[0]!)).toEqual(['z', 'a']);
  });

  it('each point\'s experiment has the point\'s settings over the experiment\'s own variant', async () => {
    const plan = await planSweep(fixture, [`${DOWN}=1000,3000`, 'redis.min-replicas-max-lag=2,5'], { seed: 7, env: noMesh });
    expect(plan.points.map((p) => [p.index, p.point])).toEqual([
      [1, { [DOWN]: 1000, 'redis.min-replicas-max-lag': 2 }], [2, { [DOWN]: 1000, 'redis.min-replicas-max-lag': 5 }],
      [3, { [DOWN]: 3000, 'redis.min-replicas-max-lag': 2 }], [4, { [DOWN]: 3000, 'redis.min-replicas-max-lag': 5 }],
    ]);
    // The fixture's own sentinel-timing keeps its failover-timeout; redis-fencing is added.
    expect(plan.points[2]!.validated.experiment.variants).toEqual([
      { name: 'sentinel-timing', params: { 'failover-timeout': 3000, 'down-after-milliseconds': 3000 } },
      { name: 'redis-fencing', params: { 'min-replicas-max-lag': 2 } },
    ]);
    expect(plan.points.every((p) => p.validated.plan.seed === 7)).toBe(true);
    expect(pointParams(plan.points[3]!.point)).toEqual({ [DOWN]: '3000', 'redis.min-replicas-max-lag': '5' });
  });

  it('a point that breaks a rule between params, or clashes with the experiment\'s own variant, refuses the sweep', async () => {
    const e = await planSweep(fixture, ['patroni.retry_timeout=3,10'], { seed: 1, env: noMesh }).catch((x: unknown) => x);
    expect(isFaultlineError(e) && e.code).toBe('FL_BAD_EXPERIMENT');
    expect(isFaultlineError(e) && e.details.map((d) => `${d.path}: ${d.message}`)).toEqual([expect.stringMatching(/^point 2 \(patroni\.retry_timeout=10\): variant\[1\]\.params: .*loop_wait \+ 2 × retry_timeout/)]);
    const own = [{ name: 'slow-sentinels', params: {}, custom: { sentinel: { 'down-after-milliseconds': 4000 } } }];
    expect(checkUses(withParams(own, { [DOWN]: 1000 }).map((use, i) => ({ use, path: `variant[${i}]` }))).map((p) => p.message))
      .toEqual(['variants "slow-sentinels" and "sentinel-timing" both set sentinel down-after-milliseconds']);
  });

  it('--shard i/n: contiguous slices that join into the whole sweep, in order', async () => {
    const flags = [`${DOWN}=1000,2000,3000`, 'redis.min-replicas-max-lag=2,5,7'];
    const whole = (await planSweep(fixture, flags, { seed: 1, env: noMesh })).mine.map((p) => p.index);
    expect(whole).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const n of [1, 2, 4, 9, 12]) {
      const slices = [];
      for (let i = 1; i <= n; i++) slices.push((await planSweep(fixture, flags, { seed: 1, env: noMesh, shard: { index: i, total: n } })).mine.map((p) => p.index));
      expect(slices.flat()).toEqual(whole);
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('faultline sweep, the process', () => {
  it('--dry-run lists every point, this shard\'s slice and the timeline, and touches nothing', () => {
    const r = cliRun('sweep', fixture, '--param', `${DOWN}=1000,3000`, '--param', 'redis.min-replicas-max-lag=2,5,7', '--dry-run', '--seed', '3', '--shard', '2/4');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(ExitCodes.OK);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('sweep-redis-kill on faultline: 6 point(s) over sentinel.down-after-milliseconds, redis.min-replicas-max-lag (seed 3); shard 2/4: points 2-3 of 6');
    // Points outside this shard's slice are marked "-".
    expect(lines.slice(1, 7).map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '))).toEqual([
      '- 1 sentinel.down-after-milliseconds=1000 redis.min-replicas-max-lag=2', '2 sentinel.down-after-milliseconds=1000 redis.min-replicas-max-lag=5 variants:',
      '3 sentinel.down-after-milliseconds=1000 redis.min-replicas-max-lag=7 variants:', '- 4 sentinel.down-after-milliseconds=3000 redis.min-replicas-max-lag=2',
      '- 5 sentinel.down-after-milliseconds=3000 redis.min-replicas-max-lag=5', '- 6 sentinel.down-after-milliseconds=3000 redis.min-replicas-max-lag=7',
    ]);
    expect(lines[5]).toContain('variants: sentinel-timing (down-after-milliseconds=3000, failover-timeout=3000); redis-fencing (min-replicas-to-write=1, min-replicas-max-lag=5)');
    expect(r.stdout).toMatch(/timeline \(every point\):\n\s+\+0 ms\s+inject f1 kill the redis master/);
  });

  it('bad --param: every problem, FL_BAD_INPUT, exit code 4, before the experiment is even loaded', () => {
    const r = cliRun('sweep', join(dir, 'no-such-file.ts'), '--param', `${DOWN}=50`, '--param', 'nope=1');
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toMatch(/error FL_BAD_INPUT: --param is not valid \(2 problems\)/);
    expect(r.stderr).toMatch(/--param sentinel\.down-after-milliseconds=50: 50 is out of range/);
    expect(r.stderr).toMatch(/--param nope=1: unknown param "nope"/);
    expect(r.stderr).not.toMatch(/no such file/);
    const none = cliRun('sweep', fixture);
    expect(none.status).toBe(ExitCodes.BAD_INPUT);
    expect(none.stderr).toMatch(/--param: a sweep needs at least one --param/);
  });
});

describe('runSweep, stopped before a run could start', () => {
  it('an error that keeps the first run from starting stops the sweep; the sweep directory still gets its files', async () => {
    const plan = await planSweep(fixture, [`${DOWN}=1000,3000`], { seed: 1, env: noMesh });
    const s = await runSweep(plan, { sweepsDir: join(dir, 'sweeps'), env: { ...noMesh, FAULTLINE_LOCK_DIR: dir } });
    expect(isFaultlineError(s.error) && s.error.code).toBe('FL_TOXIPROXY_UNREACHABLE');
    expect([s.results, s.notRun.map((p) => p.index), s.interrupted]).toEqual([[], [1, 2], false]);
    expect(readdirSync(s.dir).sort()).toEqual(['junit.xml', 'results.html', 'results.json', 'sweep.json']);
    expect(JSON.parse(readFileSync(join(s.dir, 'sweep.json'), 'utf8'))).toMatchObject({ experiment: 'sweep-redis-kill', seed: 1, axes: [{ key: DOWN, values: [1000, 3000] }], mine: [1, 2], shard: null });
    expect(existsSync(join(dir, 'sweeps', 'latest'))).toBe(true);
  });

  it('interrupted before a point starts: nothing runs', async () => {
    const plan = await planSweep(fixture, [`${DOWN}=1000,3000`], { seed: 1, env: noMesh, shard: { index: 2, total: 2 } });
    const ac = new AbortController();
    ac.abort();
    const s = await runSweep(plan, { sweepsDir: join(dir, 'sweeps'), env: noMesh, signal: ac.signal });
    expect([s.results, s.notRun.map((p) => p.index), s.interrupted, s.error]).toEqual([[], [2], true, undefined]);
    expect(s.dir).toMatch(/sweep-redis-kill-shard-2-of-2-[0-9a-f]{8}$/);
  });
});

/** A sweep run's result.json and junit.xml, as runSweep leaves them in the sweep directory. */
function writeSweepRun(root: string, runId: string, down: number, verdict: 'pass' | 'fail', promoted: number, lost: number): void {
  const runDir = join(root, `20261201-000000-sweep-redis-kill-${runId}`);
  mkdirSync(runDir, { recursive: true });
  const result = {
    experiment: 'sweep-redis-kill', runId, runDir, seed: 1, project: 'p', verdict, reasons: verdict === 'pass' ? [] : ['maxFailoverTime[redis]: observed 5.2 s > limit 4 s'],
    cleanup: { verdict: 'ok', healErrors: [], leftoversHealed: [], leftoversRemaining: [] },
    judgement: { failover: { redis: { promotedMs: promoted } }, unavailable: [{ start: 0, end: promoted }], writes: { lost }, splitBrainMs: 0 },
    sweep: { experiment: 'sweep-redis-kill', params: { [DOWN]: String(down) } },
  } as unknown as RunResult;
  writeFileSync(join(runDir, 'result.json'), JSON.stringify(result));
  const failures = verdict === 'fail' ? 1 : 0;
  writeFileSync(join(runDir, 'junit.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="faultline" tests="3" failures="${failures}" errors="0" skipped="0" time="30.000">\n  <testsuite name="sweep-redis-kill" tests="3" failures="${failures}" errors="0" skipped="0" time="30.000">\n    <testcase classname="sweep-redis-kill" name="run"></testcase>\n  </testsuite>\n</testsuites>\n`);
}

describe('a sweep\'s rows, table and JUnit file', () => {
  // Three points given as 5000,1000,3000, run whole in one directory, and as shards 1/2 and 2/2.
  const whole = join(dir, 'whole'), s1 = join(dir, 'shard-1'), s2 = join(dir, 'shard-2');
  const points: [number, 'pass' | 'fail', number, number][] = [[5000, 'fail', 6400, 3], [1000, 'pass', 2300, 1], [3000, 'fail', 4200, 2]];
  points.forEach(([down, v, promoted, lost], i) => {
    writeSweepRun(whole, `w${i}`, down, v, promoted, lost);
    writeSweepRun(i < 2 ? s1 : s2, `w${i}`, down, v, promoted, lost);
  });

  it('one row per run, by value, with its failover time, unavailability, lost writes, split brain and verdict', () => {
    const rows = mergeRows(findRuns([whole]), dir);
    expect(rows.map((r) => [r.experiment, r.params, r.failoverMs, r.unavailableMs, r.lostAckedWrites, r.splitBrainMs, r.verdict])).toEqual([
      ['sweep-redis-kill', { [DOWN]: '1000' }, 2300, 2300, 1, 0, 'pass'],
      ['sweep-redis-kill', { [DOWN]: '3000' }, 4200, 4200, 2, 0, 'fail'],
      ['sweep-redis-kill', { [DOWN]: '5000' }, 6400, 6400, 3, 0, 'fail'],
    ]);
    const table = stripVTControlCharacters(renderResultsTable(rows));
    expect(table).toMatch(/│ sweep-redis-kill │ sentinel\.down-after-milliseconds=1000 │ 2\.3 s +│ 2\.3 s +│ 1 +│ none +│ PASS +│/);
    expect(table).toMatch(/3 run\(s\): 1 pass, 2 fail, 0 unknown/);
  });

  it('the shards\' directories merged give the unsharded sweep\'s table and rows', () => {
    const strip = (rows: ReturnType<typeof mergeRows>) => rows.map(({ runDir: _, ...r }) => r);
    expect(strip(mergeRows(findRuns([s1, s2])))).toEqual(strip(mergeRows(findRuns([whole]))));
    expect(renderResultsTable(mergeRows(findRuns([s2, s1])))).toBe(renderResultsTable(mergeRows(findRuns([whole]))));
  });

  it('one JUnit suite per point, named for its params; and the files written together', () => {
    const xml = mergeJUnit(findRuns([whole]));
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as { testsuites: { tests: string; failures: string; testsuite: { name: string }[] } };
    expect(doc.testsuites.testsuite.map((s) => s.name).sort()).toEqual([1000, 3000, 5000].map((v) => `sweep-redis-kill [${DOWN}=${v}]`));
    expect([doc.testsuites.tests, doc.testsuites.failures]).toEqual(['9', '2']);
    const out = join(dir, 'out');
    const w = writeResults(out, findRuns([whole]), 'a sweep');
    expect(JSON.parse(readFileSync(w.files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(w.rows)));
    expect(readFileSync(w.files.junit, 'utf8')).toBe(xml);
    expect(readFileSync(w.files.html, 'utf8')).toContain('<title>a sweep</title>');
  });
});
