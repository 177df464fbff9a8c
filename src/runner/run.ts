// The one runner: validate → lock → steady state before → timeline (probes during) → heal
// everything still active, always → verify cleanup → steady state after → verdict. Every step is
// journaled as it happens. Heals run on pass, failure, exception, abort and Ctrl-C; a SIGKILL
// leaves the lock as a marker that the next run (or `faultline reset`) heals from.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { isFaultlineError } from '../core/errors.ts';
import { formatMs } from '../core/duration.ts';
import type { Experiment } from '../config/experiment.ts';
import type { Probe, ProbePhase } from '../config/probe.ts';
import { injectFault } from '../faults/interpreter.ts';
import type { ActiveFault } from '../faults/types.ts';
import { Nodes } from '../runtime/docker.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import { Journal } from '../history/journal.ts';
import { createRunDir, newRunId, runsRoot } from '../history/run-dir.ts';
import { acquireLock } from './lock.ts';
import { recoverStaleRun } from './recover.ts';
import { validateOrThrow, type Validated } from './validate.ts';
import { renderPlan, type PlannedFault } from './plan.ts';
import { recordingContext } from './recorder.ts';
import { runProbe, withTimeout, type ProbeResult } from './probe.ts';
import { runTimeline, sleep, WaitTimedOut } from './timeline.ts';
import { clearLeftovers, describeLeftovers, findLeftovers, isEmpty } from './leftovers.ts';
import { Interrupted, onInterrupt } from './signals.ts';

export type Verdict = 'pass' | 'fail' | 'unknown';
export interface ProbeOutcome extends ProbeResult { probe: string; t: number }
export interface FaultRecord { id: string; name: string; path: string; kind: string; description?: string; injectedMs?: number; healedMs?: number; error?: string }

export interface RunResult {
  experiment: string;
  runId: string;
  runDir: string;
  seed: number;
  project: string;
  verdict: Verdict;
  /** Why the verdict is not pass, one line each. */
  reasons: string[];
  steadyState: { before: ProbeOutcome[]; during: { checks: number; breaches: ProbeOutcome[] }; after: ProbeOutcome[]; restoredMs?: number };
  faults: FaultRecord[];
  cleanup: { verdict: 'ok' | 'failed'; healErrors: string[]; leftoversHealed: string[]; leftoversRemaining: string[] };
  durationMs: number;
}

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
}

const HEAL_TIMEOUT_MS = 30_000;

class Breach extends Error {}
class DeadlineExceeded extends Error {}

const phaseProbes = (exp: Experiment, phase: ProbePhase): Probe[] => exp.steadyState.probes.filter((p) => p.phases.includes(phase));

export async function runExperiment(exp: Experiment, opts: RunOptions = {}): Promise<RunResult> {
  const env = opts.env ?? process.env;
  const seed = opts.seed ?? randomInt(2 ** 31 - 1);
  const v = await validateOrThrow(exp, { seed, env, ...(opts.defaultTarget ? { defaultTarget: opts.defaultTarget } : {}) });
  const say = opts.onProgress ?? (() => undefined);
  const recovered = await recoverStaleRun(v.target.projectName, env, `run of ${exp.name}`);
  if (recovered) say(`run ${recovered.run.runId} (${recovered.run.experiment}) was killed before it healed; healed what it left: ${recovered.summary}`);

  const runId = newRunId();
  const runDir = createRunDir(runsRoot(opts.runsDir, env), exp.name, runId);
  const release = acquireLock({ pid: process.pid, runId, experiment: exp.name, runDir, target: { path: v.targetPath, host: v.target.host, project: v.target.projectName }, startedAt: new Date().toISOString() }, env);
  const journal = new Journal(join(runDir, 'journal.jsonl'));
  // Hooked until the lock is released, so a late Ctrl-C cannot cut the final writes short.
  const controller = new AbortController();
  const abort = (e: Error) => controller.abort(e);
  opts.signal?.addEventListener('abort', () => abort(new Interrupted('SIGINT')), { once: true });
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
  const { journal, say } = r;
  const started = performance.now();
  const stamp = () => `+${formatMs(Math.round(journal.now()))}`;
  journal.write('run-start', { runId: r.runId, experiment: exp.name, description: exp.description, seed: r.seed, wallClock: new Date().toISOString(), project: target.projectName, targetPath: v.targetPath, plan: renderPlan(plan), recoveredRun: r.recovered ?? null });

  const { controller } = r;
  const abort = (e: Error) => controller.abort(e);
  const budget = plan.duration[1] + exp.steadyState.recoverWithinMs + (r.opts.healBudgetMs ?? 60_000) + exp.steadyState.probes.length * 3000;
  const deadline = setTimeout(() => abort(new DeadlineExceeded(`the run outlived its declared duration plus heal time (${formatMs(budget)})`)), budget);

  const reasons: string[] = [];
  let unknown = false;
  const faults = new Map<string, FaultRecord>(plan.faults.map((f) => [f.id, { id: f.id, name: f.name, path: f.path, kind: f.fault.kind }]));
  const active: { id: string; fault: ActiveFault }[] = [];
  const touched = new Set<string>();
  const live = { toxiproxy: new ToxiproxyApi(target.toxiproxyUrl), nodes: new Nodes(target) };

  const probeAll = async (phase: ProbePhase, probes: Probe[]): Promise<ProbeOutcome[]> => Promise.all(probes.map(async (p) => {
    const res = await runProbe(p, target);
    const t = journal.now();
    journal.write('probe', { phase, probe: p.name, ok: res.ok, detail: res.detail, ms: res.ms });
    return { probe: p.name, t, ...res };
  }));

  const inject = async (f: PlannedFault) => {
    const rec = faults.get(f.id)!;
    journal.write('fault-inject', { id: f.id, path: f.path, spec: f.fault });
    const ctx = recordingContext(target, r.runId, (key) => {
      touched.add(key);
      journal.write('touch', { id: f.id, key });
    }, live);
    try {
      const a = await injectFault(f.fault, ctx, f.id);
      active.push({ id: f.id, fault: a });
      Object.assign(rec, { description: a.description, injectedMs: journal.now() });
      journal.write('fault-injected', { id: f.id, kind: f.fault.kind, description: a.description });
      say(`${stamp()} inject ${f.id}: ${a.description}`);
    } catch (e) {
      rec.error = (e as Error).message;
      journal.write('fault-inject-failed', { id: f.id, error: rec.error });
      throw e;
    }
  };
  const heal = async (id: string) => {
    const i = active.findIndex((a) => a.id === id);
    if (i < 0) return;
    const { fault } = active.splice(i, 1)[0]!;
    // Bounded, so a hung engine cannot keep the run alive; a leftover is then found and reported.
    const attempt = () => withTimeout(fault.heal(), HEAL_TIMEOUT_MS, `healing ${id}`);
    try {
      await attempt();
    } catch {
      await sleep(500, new AbortController().signal);
      await attempt(); // heals are idempotent (once): a retry runs again only because the first rejected
    }
    faults.get(id)!.healedMs = journal.now();
    journal.write('fault-healed', { id });
    say(`${stamp()} heal ${id}`);
  };

  // Steady state before: the system must be healthy, or the run tells nothing.
  const before = await probeAll('before', phaseProbes(exp, 'before'));
  const breaches: ProbeOutcome[] = [];
  let checks = 0;
  const healErrors: string[] = [];
  if (before.some((p) => !p.ok)) {
    unknown = true;
    reasons.push(`steady state not met before any fault: ${before.filter((p) => !p.ok).map((p) => `${p.probe} (${p.detail})`).join('; ')}`);
    say(`steady state not met before the run; no fault injected`);
  } else {
    // Probes during the timeline, until it ends.
    let running = true;
    const duringProbes = phaseProbes(exp, 'during');
    const during = (async () => {
      while (running && duringProbes.length) {
        const round = await probeAll('during', duringProbes);
        checks++;
        for (const o of round.filter((x) => !x.ok)) {
          breaches.push(o);
          const p = duringProbes.find((x) => x.name === o.probe)!;
          if (p.abortOnBreach && !controller.signal.aborted) abort(new Breach(`steady state breached during the run: ${o.probe} (${o.detail})`));
        }
        await sleep(exp.steadyState.everyMs, controller.signal).catch(() => undefined);
      }
    })();
    try {
      say(`${stamp()} timeline starts (${plan.faults.length} fault${plan.faults.length === 1 ? '' : 's'}, seed ${r.seed})`);
      await runTimeline(plan.steps, {
        inject, heal: (f) => heal(f.id), signal: controller.signal,
        probe: async (p, path) => {
          const res = await runProbe(p, target);
          journal.write('probe', { phase: 'wait', path, probe: p.name, ok: res.ok, detail: res.detail, ms: res.ms });
          return res;
        },
        note: (type, data) => journal.write(type, data),
      });
      journal.write('timeline-done');
    } catch (e) {
      const err = controller.signal.aborted ? (controller.signal.reason as Error) : (e as Error);
      journal.write('timeline-stopped', { reason: err.message, kind: err.constructor.name });
      say(`${stamp()} timeline stopped: ${err.message}`);
      if (err instanceof WaitTimedOut || err instanceof Breach) reasons.push(err.message);
      else {
        unknown = true;
        reasons.push(err instanceof Interrupted || err instanceof DeadlineExceeded || isFaultlineError(err) ? err.message : `internal error: ${err.stack ?? err.message}`);
      }
    } finally {
      running = false;
      // Heal whatever is still active, newest first, whatever happened above.
      for (const { id } of [...active].reverse()) {
        await heal(id).catch((e: Error) => {
          healErrors.push(`${id}: ${e.message}`);
          journal.write('fault-heal-failed', { id, error: e.message });
        });
      }
      await during;
    }
  }
  clearTimeout(deadline);

  // Cleanup is verified, not assumed: look for anything of this run's still in place, clear it, look again.
  let leftovers = { healed: [] as string[], remaining: [] as string[] };
  try {
    const found = await findLeftovers(target, r.runId, touched);
    if (!isEmpty(found)) {
      await clearLeftovers(target, found).catch(() => undefined);
      leftovers = { healed: describeLeftovers(found), remaining: describeLeftovers(await findLeftovers(target, r.runId, touched)) };
    }
  } catch (e) {
    leftovers.remaining.push(`could not verify: ${(e as Error).message}`);
  }
  const cleanupOk = leftovers.remaining.length === 0;
  journal.write('cleanup', { verdict: cleanupOk ? 'ok' : 'failed', healErrors, leftoversHealed: leftovers.healed, leftoversRemaining: leftovers.remaining });
  if (!cleanupOk) say(`cleanup FAILED: ${leftovers.remaining.join('; ')}; run \`faultline reset\``);

  // Steady state after: it must come back within recoverWithin (skipped when the user interrupted).
  let after: ProbeOutcome[] = [];
  let restoredMs: number | undefined;
  const interrupted = controller.signal.reason instanceof Interrupted;
  const afterProbes = phaseProbes(exp, 'after');
  if (!before.some((p) => !p.ok) && !interrupted && afterProbes.length) {
    const t0 = performance.now();
    for (;;) {
      after = await probeAll('after', afterProbes);
      if (after.every((p) => p.ok)) {
        restoredMs = Math.round(performance.now() - t0);
        break;
      }
      if (performance.now() - t0 > exp.steadyState.recoverWithinMs) {
        reasons.push(`steady state not restored within ${formatMs(exp.steadyState.recoverWithinMs)} of healing: ${after.filter((p) => !p.ok).map((p) => `${p.probe} (${p.detail})`).join('; ')}`);
        break;
      }
      await sleep(exp.steadyState.everyMs, new AbortController().signal);
    }
  }
  if (breaches.length) reasons.push(`steady state breached during the run ${breaches.length} time(s): ${[...new Set(breaches.map((b) => b.probe))].join(', ')}`);

  const verdict: Verdict = unknown ? 'unknown' : reasons.length ? 'fail' : 'pass';
  const result: RunResult = {
    experiment: exp.name, runId: r.runId, runDir: r.runDir, seed: r.seed, project: target.projectName, verdict, reasons: [...new Set(reasons)],
    steadyState: { before, during: { checks, breaches }, after, ...(restoredMs !== undefined ? { restoredMs } : {}) },
    faults: [...faults.values()],
    cleanup: { verdict: cleanupOk ? 'ok' : 'failed', healErrors, leftoversHealed: leftovers.healed, leftoversRemaining: leftovers.remaining },
    durationMs: Math.round(performance.now() - started),
  };
  writeFileSync(join(r.runDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  journal.write('run-end', { verdict, reasons: result.reasons, cleanup: result.cleanup.verdict });
  return result;
}
