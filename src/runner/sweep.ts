// A sweep: one experiment run once per point of its `--param` axes, each run an ordinary run with
// that point's settings laid over the experiment's variants (applied, read back on every node and
// reverted by the run itself, so each journal says what was in force). Everything is checked
// before the first run: the axes against the registry, and every point's experiment as a run
// would check it (the rules between a variant's params included). Runs go into one sweep
// directory, <root>/<date>-<time>-<experiment>-<sweep id>/ (root: .faultline/sweeps, --sweeps-dir
// or FAULTLINE_SWEEPS_DIR; `latest` points at the newest), beside sweep.json (what was asked)
// and the sweep's own results.html, junit.xml and results.json, the files `faultline merge`
// writes, so merging the sweep directories of every shard gives the unsharded sweep's table.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import type { RunResult } from '../core/run-result.ts';
import type { Experiment } from '../config/experiment.ts';
import { createRunDir, newRunId } from '../history/run-dir.ts';
import { checkUses, withParams } from '../variants/check.ts';
import { parseSweepParams, pointLabel, sweepPoints, type SweepAxis, type SweepPoint } from '../variants/sweep-params.ts';
import { writeResults } from '../report/write.ts';
import type { ResultRow } from '../report/merge.ts';
import { loadExperiments } from './load.ts';
import { refusal } from './refusal.ts';
import { runExperiment } from './run.ts';
import { shardRange, type Shard } from './shard.ts';
import { Interrupted, onInterrupt } from './signals.ts';
import { validateExperiment, type Validated } from './validate.ts';

export interface SweepPointPlan {
  /** 1-based, in the order of the whole sweep. */
  index: number;
  point: SweepPoint;
  /** The experiment at this point, validated (its variants carry the point's settings). */
  validated: Validated;
}

export interface SweepPlan {
  experiment: Experiment;
  axes: SweepAxis[];
  seed: number;
  /** Every point of the sweep, in order. */
  points: SweepPointPlan[];
  shard?: Shard;
  /** The points this invocation runs: all, or the shard's contiguous slice. */
  mine: SweepPointPlan[];
}

export interface SweepOptions {
  seed: number;
  shard?: Shard;
  defaultTarget?: string;
  env?: NodeJS.ProcessEnv;
}

const inputError = (problems: ErrorDetail[], what: string) =>
  new FaultlineError(ErrorCodes.BAD_INPUT, `${what} (${problems.length} problem${problems.length > 1 ? 's' : ''})`, 'correct each one listed above; nothing was touched (`faultline variant list` shows every param, its default and range)', { details: problems });

/** `file` or `file#name` (a file exporting several): the one experiment a sweep runs. */
async function loadOne(spec: string): Promise<Experiment> {
  const hash = spec.lastIndexOf('#');
  const [file, name] = hash > 0 ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, undefined];
  const { experiments, problems } = await loadExperiments([file]);
  const chosen = name === undefined ? experiments : experiments.filter((e) => e.name === name);
  if (problems.length) throw refusal(problems, 'the experiment is not valid');
  if (chosen.length !== 1) {
    const names = experiments.map((e) => e.name).join(', ');
    throw new FaultlineError(ErrorCodes.BAD_INPUT, name === undefined ? `${file} holds ${experiments.length} experiments (${names}); a sweep runs one` : `${file} has no experiment named "${name}" (it has ${names})`, `name one: ${file}#<name>`);
  }
  return chosen[0]!;
}

/** Everything checked, nothing touched: the axes, and the experiment at every point. */
export async function planSweep(spec: string, paramFlags: string[], o: SweepOptions): Promise<SweepPlan> {
  // The axes first: a wrong key or value is the command's mistake, whatever the experiment says.
  const axes = parseSweepParams(paramFlags);
  if (axes.problems.length) throw inputError(axes.problems, '--param is not valid');
  const experiment = await loadOne(spec);
  const problems: ErrorDetail[] = [];
  const points: SweepPointPlan[] = [];
  for (const [i, point] of sweepPoints(axes.value).entries()) {
    const at = `point ${i + 1} (${pointLabel(point)})`;
    const variants = withParams(experiment.variants, point);
    // A point may break a rule between params (Patroni's loop_wait + 2 × retry_timeout <= ttl) or
    // set what one of the experiment's own variants sets.
    const clash = checkUses(variants.map((use, k) => ({ use, path: `variant[${k}]` })));
    problems.push(...clash.map((p) => ({ ...p, path: `${at}: ${p.path ?? ''}` })));
    if (clash.length) continue;
    const exp = { ...experiment, variants };
    const r = await validateExperiment(exp, { seed: o.seed, ...(o.defaultTarget ? { defaultTarget: o.defaultTarget } : {}), ...(o.env ? { env: o.env } : {}) });
    problems.push(...r.problems.map((p) => ({ ...p, path: `${at}: ${p.path ?? ''}` })));
    if (r.value) points.push({ index: i + 1, point, validated: r.value });
  }
  if (problems.length) throw refusal(problems, `sweep of "${experiment.name}" is not valid`);
  const { from, to } = o.shard ? shardRange(points.length, o.shard) : { from: 0, to: points.length };
  return { experiment, axes: axes.value, seed: o.seed, points, ...(o.shard ? { shard: o.shard } : {}), mine: points.slice(from, to) };
}

/** A point's params as a run's result carries them (strings, keys in the axes' order). */
export const pointParams = (p: SweepPoint): Record<string, string> => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));

export interface SweepResult {
  dir: string;
  results: RunResult[];
  rows: ResultRow[];
  files: { html: string; junit: string; json: string };
  /** Points of this invocation that did not run (interrupted, or stopped by `error`). */
  notRun: SweepPointPlan[];
  interrupted: boolean;
  /** What kept a run from starting at all (the mesh down, the lock held): the sweep stopped there. */
  error?: Error;
}

export interface RunSweepOptions {
  sweepsDir?: string;
  env?: NodeJS.ProcessEnv;
  defaultTarget?: string;
  /** Ctrl-C and SIGTERM stop the sweep after the current run has healed (the CLI sets it). */
  handleSignals?: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Each run's result as it ends. */
  onRun?: (r: RunResult, p: SweepPointPlan) => void;
}

export const sweepsRoot = (explicit?: string, env: NodeJS.ProcessEnv = process.env): string =>
  resolve(explicit ?? env.FAULTLINE_SWEEPS_DIR ?? '.faultline/sweeps');

/**
 * Run this invocation's points one after another. A run that fails or is unknown does not stop
 * the sweep; an interrupt stops it once the run in progress has healed; an error that keeps a run
 * from starting stops it too. The results files are written whatever stopped it.
 */
export async function runSweep(plan: SweepPlan, o: RunSweepOptions = {}): Promise<SweepResult> {
  const env = o.env ?? process.env;
  const say = o.onProgress ?? (() => undefined);
  const name = plan.shard ? `${plan.experiment.name}-shard-${plan.shard.index}-of-${plan.shard.total}` : plan.experiment.name;
  const dir = createRunDir(sweepsRoot(o.sweepsDir, env), name, newRunId());
  writeFileSync(join(dir, 'sweep.json'), `${JSON.stringify({
    experiment: plan.experiment.name, file: plan.experiment.file ?? null, seed: plan.seed, axes: plan.axes,
    points: plan.points.map((p) => ({ index: p.index, params: p.point })), shard: plan.shard ?? null,
    mine: plan.mine.map((p) => p.index), startedAt: new Date().toISOString(),
  }, null, 2)}\n`);

  const controller = new AbortController();
  if (o.signal?.aborted) controller.abort(new Interrupted('SIGINT'));
  else o.signal?.addEventListener('abort', () => controller.abort(new Interrupted('SIGINT')), { once: true });
  const unhook = o.handleSignals ? onInterrupt((e) => controller.abort(e), (l) => say(`${l}; the sweep stops after this run`)) : () => undefined;
  const results: RunResult[] = [];
  const notRun: SweepPointPlan[] = [];
  let error: Error | undefined;
  try {
    for (const p of plan.mine) {
      if (controller.signal.aborted || error) {
        notRun.push(p);
        continue;
      }
      const label = `${p.index}/${plan.points.length} ${pointLabel(p.point)}`;
      say(`point ${label}`);
      try {
        const r = await runExperiment(p.validated.experiment, {
          seed: plan.seed, runsDir: dir, env, signal: controller.signal, onProgress: (l) => say(`[${label}] ${l}`),
          sweep: { experiment: plan.experiment.name, params: pointParams(p.point) },
          ...(o.defaultTarget ? { defaultTarget: o.defaultTarget } : {}),
        });
        results.push(r);
        o.onRun?.(r, p);
      } catch (e) {
        error = e as Error;
        notRun.push(p);
        say(`point ${label} did not run: ${error.message.split('\n')[0]}; the sweep stops here`);
      }
    }
  } finally {
    unhook();
  }
  const shardText = plan.shard ? `, shard ${plan.shard.index}/${plan.shard.total}` : '';
  const { rows, files } = writeResults(dir, results.map((r) => ({ result: r, dir: r.runDir })), `faultline sweep: ${plan.experiment.name} over ${plan.axes.map((a) => a.key).join(', ')}${shardText}`);
  return { dir, results, rows, files, notRun, interrupted: controller.signal.aborted, ...(error ? { error } : {}) };
}
