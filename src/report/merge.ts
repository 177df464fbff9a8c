// Results of many runs as one: the runs of a sweep, or the slices of a list spread over CI jobs
// (`--shard i/n`), joined from their run directories into one table, one JUnit file and one
// chart. A run directory's result.json and junit.xml are what every run writes, so a slice needs
// no output of its own beyond its runs directory, uploaded as an artifact.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { RunResult } from '../core/run-result.ts';
import type { Verdict } from '../core/verdict.ts';
import { xmlAttr } from './junit.ts';

export interface ResultRow {
  experiment: string;
  /** The sweep's parameter values for this run, when it was one. */
  params: Record<string, string> | null;
  verdict: Verdict;
  /** Per store, ms from the fault that caused it to the promotion of its first failover. */
  promotedMs: Record<string, number | null>;
  /** The slowest store's promotion, ms: the chart's x. */
  failoverMs: number | null;
  /** Time in which no client's write succeeded, ms, summed over windows. */
  unavailableMs: number;
  /** Acknowledged writes missing from the final primaries; null when a store could not be read. */
  lostAckedWrites: number | null;
  splitBrainMs: number | null;
  reasons: string[];
  runId: string;
  runDir: string;
}

export function rowOf(r: RunResult, runDir = r.runDir): ResultRow {
  const j = r.judgement;
  const promotedMs = Object.fromEntries(Object.entries(j.failover).map(([s, f]) => [s, f.promotedMs]));
  const times = Object.values(promotedMs).filter((x): x is number => x !== null);
  return {
    experiment: r.sweep?.experiment ?? r.experiment,
    params: r.sweep?.params ?? null,
    verdict: r.verdict,
    promotedMs,
    failoverMs: times.length ? Math.max(...times) : null,
    unavailableMs: j.unavailable.reduce((a, w) => a + (w.end - w.start), 0),
    lostAckedWrites: j.writes.lost,
    splitBrainMs: j.splitBrainMs,
    reasons: r.reasons,
    runId: r.runId,
    runDir,
  };
}

export interface FoundRun { result: RunResult; dir: string }

/** Every run directory (one holding result.json) in or under `dirs`, three levels deep at most. */
export function findRuns(dirs: string[]): FoundRun[] {
  const found: FoundRun[] = [];
  const visit = (dir: string, depth: number) => {
    const file = join(dir, 'result.json');
    if (existsSync(file)) {
      let result: RunResult;
      try {
        result = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
      } catch (e) {
        throw new FaultlineError(ErrorCodes.BAD_INPUT, `${file} is not JSON (${(e as Error).message})`, 'remove the broken run directory or download the artifact again');
      }
      if (typeof result?.experiment !== 'string' || typeof result.runId !== 'string' || !result.judgement) {
        throw new FaultlineError(ErrorCodes.BAD_INPUT, `${file} is not a faultline run result (no experiment, runId or judgement)`, 'pass the directories faultline run or sweep wrote (their runs directories)');
      }
      found.push({ result, dir });
      return;
    }
    if (depth === 0) return;
    for (const name of readdirSync(dir).sort()) {
      if (name === 'latest') continue;  // a link to a run listed anyway
      const sub = join(dir, name);
      if (statSync(sub).isDirectory()) visit(sub, depth - 1);
    }
  };
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new FaultlineError(ErrorCodes.BAD_INPUT, `${d} is not a directory`, 'pass the runs directories of the slices to merge (e.g. the downloaded artifacts)');
    const before = found.length;
    visit(d, 3);
    if (found.length === before) throw new FaultlineError(ErrorCodes.BAD_INPUT, `${d} holds no run (no result.json in it or below it)`, 'pass the runs directory a faultline run or sweep wrote, e.g. .faultline/runs');
  }
  // The same run found twice (a directory and its parent both passed) counts once.
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(f.result.runId) && Boolean(seen.add(f.result.runId)));
}

/** Rows in a stable order: by experiment, then by the sweep's parameter values as given, then by run id. */
export function mergeRows(runs: FoundRun[], base = process.cwd()): ResultRow[] {
  const order = (r: RunResult) => r.sweep?.params ? Object.values(r.sweep.params).map((v) => (Number.isFinite(Number(v)) ? Number(v) : v)) : [];
  const sorted = [...runs].sort((a, b) => {
    const ea = a.result.sweep?.experiment ?? a.result.experiment, eb = b.result.sweep?.experiment ?? b.result.experiment;
    if (ea !== eb) return ea < eb ? -1 : 1;
    const oa = order(a.result), ob = order(b.result);
    for (let k = 0; k < Math.max(oa.length, ob.length); k++) {
      const x = oa[k], y = ob[k];
      if (x !== y) return x === undefined ? -1 : y === undefined ? 1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1;
    }
    return a.result.runId < b.result.runId ? -1 : 1;
  });
  return sorted.map((f) => rowOf(f.result, relative(base, f.dir) || '.'));
}

/** One JUnit document holding every run's own suite (each run's junit.xml, beside its result.json). */
export function mergeJUnit(runs: FoundRun[]): string {
  const suites: string[] = [];
  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const f of runs) {
    const file = join(f.dir, 'junit.xml');
    const xml = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const from = xml.indexOf('<testsuite '), to = xml.lastIndexOf('</testsuite>');
    if (from < 0 || to < 0) {
      // Reports not written (the run says why): a suite that errors, so CI does not count it as passed.
      suites.push(`  <testsuite name="${f.result.experiment.replace(/[<>&"]/g, '_')}" tests="1" failures="0" errors="1" skipped="0"><testcase name="run"><error message="no junit.xml in ${f.dir.replace(/[<>&"]/g, '_')}"/></testcase></testsuite>`);
      sum.tests++;
      sum.errors++;
      continue;
    }
    let suite = xml.slice(from, to + '</testsuite>'.length);
    // A sweep's runs share one experiment: each suite is named for its point, so CI lists them apart.
    const sweep = f.result.sweep;
    if (sweep) suite = suite.replace(/^(<testsuite [^>]*?)name="[^"]*"/, (_, head: string) => `${head}name="${xmlAttr(`${sweep.experiment} [${Object.entries(sweep.params).map(([k, v]) => `${k}=${v}`).join(' ')}]`)}"`);
    const open = /^<testsuite [^>]*>/.exec(suite)![0];
    for (const k of ['tests', 'failures', 'errors', 'skipped', 'time'] as const) sum[k] += Number(new RegExp(` ${k}="([0-9.]+)"`).exec(open)?.[1] ?? 0);
    suites.push(`  ${suite}`);
  }
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="faultline" tests="${sum.tests}" failures="${sum.failures}" errors="${sum.errors}" skipped="${sum.skipped}" time="${sum.time.toFixed(3)}">`, ...suites, '</testsuites>', ''].join('\n');
}
