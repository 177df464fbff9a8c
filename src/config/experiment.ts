// An experiment as data: what to run it against, what "healthy" means (steady-state probes), the
// timeline of faults, and (judged by the checks) its SLOs. defineExperiment only types and tags
// the object; checkExperimentShape refuses a bad one with every problem at once, given the fault
// kinds' checker (the public checkExperiment, src/runner/check-experiment.ts, hands it in).
import { z } from 'zod';
import type { ErrorDetail } from '../core/errors.ts';
import { Duration } from '../core/duration.ts';
import type { ProbeInput, Probe } from './probe.ts';
import { JudgingSchema, SloSchema, type Judging, type JudgingInput, type Slos, type SlosInput } from './slo.ts';
import { WorkloadSchema, type Workload, type WorkloadInput } from './workload.ts';
import { checkProbe, checkStep, type AnyFaultInput, type FaultChecker, type Step, type StepInput } from './timeline.ts';

type DurationInput = number | string;

/** F: the faults it may hold (every fault kind's exact input in the public entry; see runner/experiment-input.ts). */
export interface ExperimentInput<F extends { kind: string } = AnyFaultInput> {
  /** Lower-case words joined by "-": it names the run directory. */
  name: string;
  description: string;
  /** "reference" (the mesh this project ships) or the path of a target JSON file, relative to the experiment file. */
  target?: string;
  steadyState?: { probes: ProbeInput[]; every?: DurationInput; recoverWithin?: DurationInput };
  timeline: StepInput<F>[];
  /** Judged by the checks after the run (see "SLOs" in the README). */
  slos?: SlosInput;
  /** How the checks read the history (e.g. how long after a heal a failover still counts as caused by it). */
  judging?: JudgingInput;
  /** Writes through the apps during the whole run; without it, only probes and roles are judged. */
  workload?: WorkloadInput;
  /** Refuse to start when the timeline could take longer than this. */
  maxDuration?: DurationInput;
  safety?: { allowRemoteEndpoints?: boolean };
  /**
   * Where the run starts from. `primaries`: store -> the member that must be its primary before the
   * steady-state check (moved there by a Patroni switchover or a Sentinel failover, and verified).
   */
  given?: { primaries?: Record<string, string> };
  /** What this experiment finds on the reference mesh as shipped, and why: `npm run catalogue` checks it. */
  documented?: Documented;
}

/** A catalogue entry's expected outcome on the default reference mesh. */
export interface Documented {
  verdict: 'pass' | 'fail' | 'unknown';
  /** SLO verdicts by the name the judgement gives them (e.g. `maxFailoverTime[redis]`). */
  slos?: Record<string, 'pass' | 'fail' | 'unknown'>;
  /** Text one of the run's reasons must contain when the verdict is not pass. */
  reason?: string;
  /** Why, in a sentence or two: what the system does that gives this verdict. */
  why: string;
}

export interface Experiment {
  name: string;
  description: string;
  /** Absent: the CLI's --target, else the reference mesh. */
  target?: string;
  steadyState: { probes: Probe[]; everyMs: number; recoverWithinMs: number };
  timeline: Step[];
  slos: Slos;
  judging: Judging;
  workload?: Workload;
  maxDurationMs?: number;
  safety: { allowRemoteEndpoints: boolean };
  given: { primaries: Record<string, string> };
  documented?: Documented;
  /** The file it came from, when loaded from one (targets resolve relative to it). */
  file?: string;
  /** Shape problems were found; what is here is the valid rest, checked only to report more. */
  incomplete?: boolean;
}

const BRAND = Symbol.for('faultline.experiment');
export type DefinedExperiment<F extends { kind: string } = AnyFaultInput> = ExperimentInput<F> & { readonly [BRAND]: true };

/** Typed, tagged and frozen; checked when run or validated, so one file's mistakes never hide another's. */
export function defineExperiment(input: ExperimentInput): DefinedExperiment {
  return Object.freeze({ ...input, [BRAND]: true as const });
}
export const isDefinedExperiment = (v: unknown): v is DefinedExperiment => typeof v === 'object' && v !== null && BRAND in v;

const Top = z.object({
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by "-" (it names the run directory)').max(60),
  description: z.string().min(1),
  target: z.string().min(1).optional(),
  steadyState: z.object({ probes: z.array(z.unknown()), every: Duration.default(1000), recoverWithin: Duration.default(60_000) }).strict()
    .default({ probes: [], every: 1000, recoverWithin: 60_000 }),
  timeline: z.array(z.unknown()).min(1, 'an experiment needs at least one step'),
  slos: SloSchema.default({}),
  judging: JudgingSchema.default({ settleAfterHeal: 10_000 }),
  workload: WorkloadSchema.optional(),
  maxDuration: Duration.optional(),
  safety: z.object({ allowRemoteEndpoints: z.boolean().default(false) }).strict().default({ allowRemoteEndpoints: false }),
  given: z.object({ primaries: z.record(z.string().min(1), z.string().min(1)).default({}) }).strict().default({ primaries: {} }),
  documented: z.object({
    verdict: z.enum(['pass', 'fail', 'unknown']),
    slos: z.record(z.string().min(1), z.enum(['pass', 'fail', 'unknown'])).optional(),
    reason: z.string().min(1).optional(),
    why: z.string().min(10, 'say why the mesh gives this verdict'),
  }).strict().optional(),
}).strict();

/**
 * Check an experiment's shape. With problems, `partial` still holds every part that is valid
 * (bad steps and probes left out), so target-level validation can report its problems too.
 */
export function checkExperimentShape(raw: unknown, checkFault: FaultChecker, file?: string): { value?: Experiment; partial?: Experiment; problems: ErrorDetail[] } {
  const top = Top.safeParse(raw);
  const problems: ErrorDetail[] = top.success ? [] : top.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  if (raw === null || typeof raw !== 'object') return { problems };
  const r = raw as { name?: unknown; target?: unknown; steadyState?: { probes?: unknown }; timeline?: unknown };
  const rawProbes = Array.isArray(r.steadyState?.probes) ? r.steadyState.probes : [];
  const probes = rawProbes.map((p, i) => checkProbe(p, `steadyState.probes[${i}]`, problems));
  const names = new Set<string>();
  probes.forEach((p, i) => {
    if (p && names.has(p.name)) problems.push({ path: `steadyState.probes[${i}].name`, message: `"${p.name}" names two probes`, fix: 'give each probe its own name' });
    if (p) names.add(p.name);
  });
  const timeline = (Array.isArray(r.timeline) ? r.timeline : []).map((s, i) => checkStep(s, `timeline[${i}]`, problems, checkFault));
  const d = top.success ? top.data : undefined;
  const target = d ? d.target : typeof r.target === 'string' ? r.target : undefined;
  const experiment: Experiment = {
    name: d?.name ?? (typeof r.name === 'string' && r.name ? r.name : '(unnamed)'),
    description: d?.description ?? '',
    ...(target ? { target } : {}),
    steadyState: { probes: probes.filter((p) => p !== undefined), everyMs: Math.max(100, d?.steadyState.every ?? 1000), recoverWithinMs: d?.steadyState.recoverWithin ?? 60_000 },
    timeline: timeline.filter((s) => s !== undefined),
    slos: d?.slos ?? {},
    judging: d?.judging ?? { settleAfterHeal: 10_000 },
    safety: d?.safety ?? { allowRemoteEndpoints: false },
    given: d?.given ?? { primaries: {} },
    ...(d?.workload ? { workload: d.workload } : {}),
    ...(d?.documented ? { documented: d.documented } : {}),
    ...(d?.maxDuration !== undefined ? { maxDurationMs: d.maxDuration } : {}),
    ...(file ? { file } : {}),
  };
  return problems.length ? { partial: experiment, problems } : { value: experiment, problems };
}
