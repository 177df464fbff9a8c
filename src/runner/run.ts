// The one runner: validate → lock → given placement → variants applied and verified → steady
// state before → workload and observers start → warm-up → timeline (probes during) → heal
// everything still active, always → verify cleanup → steady state after → cool-down → variants
// reverted, always → ledger → judge → reports. Every step is journaled as it
// happens. Heals run on pass, failure, exception, abort and Ctrl-C; a SIGKILL leaves the lock as a
// marker that the next run (or `faultline reset`) heals from.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { isFaultlineError } from '../core/errors.ts';
import { formatMs } from '../core/duration.ts';
import type { Verdict } from '../core/verdict.ts';
import type { PlacedPrimary, RunResult } from '../core/run-result.ts';
import type { Experiment } from '../config/experiment.ts';
import { Journal } from '../history/journal.ts';
import { createRunDir, newRunId, runsRoot } from '../history/run-dir.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import { currentPrimary } from '../mesh/roles.ts';
import { placePrimary } from '../mesh/placement.ts';
import { storeInfos } from '../stores/observers.ts';
import { judgeRun } from './judge-run.ts';
import { progressLine } from '../report/console.ts';
import { acquireLock } from './lock.ts';
import { recoverStaleRun } from './recover.ts';
import { validateOrThrow, type Validated } from './validate.ts';
import { renderPlan } from './plan.ts';
import { runTimeline, sleep, WaitTimedOut } from './timeline.ts';
import { verifyCleanup } from './cleanup.ts';
import { SteadyState, type ProbeOutcome } from './steady-state.ts';
import { Interrupted, onInterrupt } from './signals.ts';
import { FaultSet } from './fault-set.ts';
import { VariantSet } from './variant-set.ts';
import { recordObservations, recordWorkload, type Recording } from './recording.ts';

export type { Verdict } from '../core/verdict.ts';
export type { CleanupResult, FaultRecord, ProbeOutcome, RunResult } from '../core/run-result.ts';

export interface RunOptions {
  seed?: number;
  defaultTarget?: string;
  runsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Turn SIGINT/SIGTERM into an abort that heals (the CLI sets it; tests can abort with `signal`). */
  handleSignals?: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Time allowed for healing after the timeline, on top of its declared duration. */
  healBudgetMs?: number;
  /** Role observers (on by default; off leaves failover and split brain unjudged). */
  observe?: boolean;
  /** A point of a sweep (runner/sweep.ts): journaled with the run's start and carried in its result. */
  sweep?: NonNullable<RunResult['sweep']>;
}

class Breach extends Error {}
class DeadlineExceeded extends Error {}

const never = new AbortController().signal;

export async function runExperiment(exp: Experiment, opts: RunOptions = {}): Promise<RunResult> {
  const env = opts.env ?? process.env;
  const seed = opts.seed ?? randomInt(2 ** 31 - 1);
  const v = await validateOrThrow(exp, { seed, env, ...(opts.defaultTarget ? { defaultTarget: opts.defaultTarget } : {}) });
  const say = opts.onProgress ?? (() => undefined);
  // Is the target up at all? A coded error naming `faultline up` beats a run of failed probes.
  await new ToxiproxyApi(v.target.toxiproxyUrl).version();
  const recovered = await recoverStaleRun(v.target.projectName, env, `run of ${exp.name}`);
  if (recovered) say(`run ${recovered.run.runId} (${recovered.run.experiment}) was killed before it healed; healed what it left: ${recovered.summary}`);

  const runId = newRunId();
  const runDir = createRunDir(runsRoot(opts.runsDir, env), exp.name, runId);
  const release = acquireLock({ pid: process.pid, runId, experiment: exp.name, runDir, target: { path: v.targetPath, host: v.target.host, project: v.target.projectName }, startedAt: new Date().toISOString() }, env);
  const journal = new Journal(join(runDir, 'journal.jsonl'));
  // Hooked until the lock is released, so a late Ctrl-C cannot cut the final writes short.
  const controller = new AbortController();
  const abort = (e: Error) => controller.abort(e);
  // Aborted already (a sweep's Ctrl-C while this run was still validating): interrupted from the start.
  if (opts.signal?.aborted) abort(new Interrupted('SIGINT'));
  else opts.signal?.addEventListener('abort', () => abort(new Interrupted('SIGINT')), { once: true });
  const unhook = opts.handleSignals ? onInterrupt(abort, say) : () => undefined;
  try {
    return await execute(v, { runId, runDir, seed, journal, say, opts, recovered: recovered?.run.runId, controller });
  } finally {
    journal.close();
    release();
    unhook();
  }
}

interface Run { runId: string; runDir: string; seed: number; journal: Journal; say: (l: string) => void; opts: RunOptions; recovered: string | undefined; controller: AbortController }

async function execute(v: Validated, r: Run): Promise<RunResult> {
  const { experiment: exp, target, plan } = v;
  const { journal, say, controller } = r;
  const started = performance.now();
  const stamp = () => `+${formatMs(Math.round(journal.now()))}`;
  journal.write('run-start', { runId: r.runId, experiment: exp.name, description: exp.description, seed: r.seed, wallClock: new Date().toISOString(), project: target.projectName, targetPath: v.targetPath, plan: renderPlan(plan), workload: exp.workload ?? null, slos: exp.slos, judging: exp.judging, stores: storeInfos(target), variants: exp.variants, recoveredRun: r.recovered ?? null, sweep: r.opts.sweep ?? null });

  const abort = (e: Error) => controller.abort(e);
  const w = exp.workload;
  // Variants: up to a minute each to apply and to revert (their read-back waits for every member).
  const budget = plan.duration[1] + exp.steadyState.recoverWithinMs * (r.recovered ? 2 : 1) + (r.opts.healBudgetMs ?? 60_000) + exp.steadyState.probes.length * 3000 + (w ? w.warmup + w.cooldown : 0) + (exp.variants.length ? 120_000 : 0);
  const deadline = setTimeout(() => abort(new DeadlineExceeded(`the run outlived its declared duration plus heal time (${formatMs(budget)})`)), budget);

  const faults = new FaultSet({ target, runId: r.runId, journal, faults: plan.faults, say });
  const steady = new SteadyState(exp, target, journal);
  const variants = new VariantSet({ target, journal, uses: exp.variants, say });
  let workload: Recording | undefined;
  let observers: Awaited<ReturnType<typeof recordObservations>> | undefined;
  let progress: NodeJS.Timeout | undefined;
  const givenPlaced: PlacedPrimary[] = [];
  let primariesAtStart: Record<string, string | null> | null = null;
  let phase = 'warm-up';
  try {
    return await judged();
  } finally {
    // Whatever ended the run (an exception included): no timer, writer or observer outlives it.
    clearTimeout(deadline);
    clearInterval(progress);
    await workload?.close().catch(() => undefined);
    await observers?.stop().catch(() => undefined);
    // Variants are reverted on the normal path before judging; this covers an exception on the way.
    await variants.revert();
  }

  /** Live progress: acknowledged writes per second over the last interval, errors so far, primaries now. */
  function startProgress(): NodeJS.Timeout {
    let lastOk = 0;
    const PROGRESS_MS = 5000;
    return setInterval(() => {
      const s = workload?.stats();
      say(progressLine({ phase, t: journal.now(), opsPerS: s ? ((s.ok - lastOk) * 1000) / PROGRESS_MS : 0, errors: s ? s.failed + s.indeterminate : 0, primaries: observers?.primaries() ?? {} }));
      lastOk = s?.ok ?? 0;
    }, PROGRESS_MS);
  }

  /** Warm-up, the timeline, and healing whatever it left active, whatever happened (`beforeHeal` first). */
  async function runFaults(beforeHeal: () => Promise<void>): Promise<void> {
    try {
      if (w) await sleep(w.warmup, controller.signal);
      phase = 'faults';
      await recordPrimaries();
      say(`${stamp()} timeline starts (${plan.faults.length} fault${plan.faults.length === 1 ? '' : 's'}, seed ${r.seed})`);
      await runTimeline(plan.steps, {
        inject: (f) => faults.inject(f), heal: (f) => faults.heal(f.id), signal: controller.signal,
        probe: async (p, path) => (await steady.check('wait', [p], path))[0]!,
        note: (type, data) => journal.write(type, data),
      });
      journal.write('timeline-done');
    } catch (e) {
      const err = controller.signal.aborted ? (controller.signal.reason as Error) : (e as Error);
      // The kind decides the verdict (runVerdict): a breach or a timed-out wait fails the run, the rest leaves it unknown.
      const known = err instanceof WaitTimedOut || err instanceof Breach || err instanceof Interrupted || err instanceof DeadlineExceeded || isFaultlineError(err);
      const reason = known ? err.message : `internal error: ${err.stack ?? err.message}`;
      journal.write('timeline-stopped', { reason, kind: err.constructor.name });
      say(`${stamp()} timeline stopped: ${err.message}`);
    } finally {
      phase = 'healing';
      await beforeHeal();
      await faults.healAll();
    }
  }

  /** `given.primaries`, each moved and verified in turn; false (journaled) at the first that cannot be. */
  async function place(): Promise<boolean> {
    for (const [store, node] of Object.entries(exp.given.primaries)) {
      try {
        const p = await placePrimary(target, store, node, exp.steadyState.recoverWithinMs);
        journal.write('placed', { ...p });
        givenPlaced.push(p);
        say(p.how === 'already' ? `${store}: ${node} is the primary already, as given` : `${store}: ${node} made the primary by a ${p.how} (was ${p.was}), settled in ${formatMs(p.ms)}`);
      } catch (e) {
        journal.write('place-failed', { store, wanted: node, error: (e as Error).message });
        say(`${store}: could not make ${node} the primary: ${(e as Error).message}`);
        return false;
      }
    }
    return true;
  }

  /** Each store's primary as its members say, journaled when the timeline starts. */
  async function recordPrimaries(): Promise<void> {
    const entries = await Promise.all(Object.keys(target.stores).map(async (s) => [s, (await currentPrimary(target, s).catch(() => undefined)) ?? null] as const));
    primariesAtStart = Object.fromEntries(entries);
    journal.write('primaries', { primaries: primariesAtStart });
    say(`${stamp()} primaries: ${entries.map(([s, n]) => `${s} ${n ?? 'none (or several)'}`).join(', ')}`);
  }

  async function judged(): Promise<RunResult> {
    // Steady state before: the system must be healthy, or the run tells nothing. Right after
    // healing a killed run's leftovers it is still settling, so give it recoverWithin first.
    if (r.recovered) {
      const s = await steady.settled();
      say(s.ms !== undefined ? `settled ${formatMs(s.ms)} after healing what run ${r.recovered} left` : `not settled within ${formatMs(exp.steadyState.recoverWithinMs)} of healing what run ${r.recovered} left`);
    }
    // Variants after placement (a Sentinel failover would not change them, but the steady state
    // is checked on the system as it will be tested: under its variants).
    const placed = await place();
    const varied = placed && await variants.apply();
    const before = varied ? await steady.check('before', steady.probes('before')) : [];
    const healthy = varied && before.every((p) => p.ok);
    let during = { checks: 0, breaches: [] as ProbeOutcome[] };
    if (!placed) {
      say(`primaries not placed as given; no fault injected`);
    } else if (!varied) {
      say(`variants not in force; no fault injected`);
    } else if (!healthy) {
      say(`steady state not met before the run; no fault injected`);
    } else {
      if (r.opts.observe !== false) observers = await recordObservations(target, journal);
      if (w) workload = await recordWorkload(target, w, journal, r.runId);
      progress = startProgress();
      const watch = steady.watch(controller.signal, (o) => {
        if (!controller.signal.aborted) abort(new Breach(`steady state breached during the run: ${o.probe} (${o.detail})`));
      });
      // "During" ends where healing starts.
      await runFaults(async () => {
        during = await watch.stop();
      });
    }
    clearTimeout(deadline);

    const cleanup = await verifyCleanup(target, r.runId, faults.touched, faults.healErrors);
    journal.write('cleanup', { ...cleanup });
    if (cleanup.verdict === 'failed') say(`cleanup FAILED: ${cleanup.leftoversRemaining.join('; ')}; run \`faultline reset\``);

    const interrupted = controller.signal.reason instanceof Interrupted;
    // Steady state after, with the workload still writing, so whatever happens to writes while a
    // node rejoins is seen (skipped when the user interrupted); then the cool-down.
    phase = 'recovery';
    const { after, restoredMs } = healthy && !interrupted ? await steady.restored() : { after: [] as ProbeOutcome[], restoredMs: undefined };
    if (restoredMs !== undefined) journal.write('steady-restored', { afterMs: restoredMs });
    phase = 'cool-down';
    if (workload && w && !interrupted) await sleep(w.cooldown, never);
    await workload?.stop();
    clearInterval(progress);
    await observers?.stop();
    // After the recovery and the cool-down, which ran under the variants too; before the ledger.
    await variants.revert();
    if (variants.record?.touched && !variants.record.reverted?.ok) {
      cleanup.verdict = 'failed';
      cleanup.leftoversRemaining.push(`variants not reverted: ${variants.record.reverted?.error ?? 'unknown'}`);
    }

    // Judge from the journal, as a later re-check from disk does, by the same function: it reads
    // the ledger (every acknowledged or indeterminate write looked up on the final primaries),
    // journals it and the end of recording, and writes the reports.
    // The client stays open until then: the ledger may read the writes back through it.
    const judged = await judgeRun({ runDir: r.runDir, finish: { target, workload: workload && !interrupted ? w! : null, originEpochMs: journal.originEpochMs } }, { readBack: workload?.readBack });
    await workload?.close();
    if (judged.ledgerError) say(`ledger not read: ${judged.ledgerError}`);
    if (judged.reportsError) say(`reports not written: ${judged.reportsError}`);
    const { judgement, run } = judged;
    const verdict: Verdict = run.verdict;
    if (after.some((p) => !p.ok)) say(`steady state not restored within ${formatMs(exp.steadyState.recoverWithinMs)} of healing`);
    const result: RunResult = {
      experiment: exp.name, runId: r.runId, runDir: r.runDir, seed: r.seed, project: target.projectName, verdict, reasons: run.reasons,
      steadyState: { before, during, after, ...(restoredMs !== undefined ? { restoredMs } : {}) },
      primaries: { given: givenPlaced, atStart: primariesAtStart },
      variants: variants.record,
      faults: [...faults.records.values()],
      cleanup,
      judgement,
      reports: { journal: journal.path, result: join(r.runDir, 'result.json') },
      durationMs: Math.round(performance.now() - started),
      ...(r.opts.sweep ? { sweep: r.opts.sweep } : {}),
    };
    Object.assign(result.reports, judged.reports);
    writeFileSync(result.reports.result, `${JSON.stringify(result, null, 2)}\n`);
    journal.write('run-end', { verdict, reasons: result.reasons, cleanup: cleanup.verdict });
    return result;
  }
}
