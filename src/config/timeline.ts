// Timeline steps as data. A timeline is a sequence; each step is exactly one of:
//   { fault, at?, for? }          inject `at` after the step starts; heal after `for` (or at the end)
//   { wait }                      pause
//   { waitUntil, timeout }        poll a probe until it passes (a failed wait fails the run)
//   { sequence: [...] }           one after another
//   { concurrent: [...] }         all at once; done when all are done
//   { random: {...} }             `count` faults drawn from a list at seeded random times
// Steps are checked one by one (not as a zod union) so that an error names the real problem.
// A fault's own fields are checked by its kind's schema, which lives with the kind in src/faults/
// (a layer above this one): the caller hands that checker in (see src/runner/check-experiment.ts).
import { z } from 'zod';
import type { ErrorDetail } from '../core/errors.ts';
import { Duration } from '../core/duration.ts';
import type { Exclusive } from '../core/exclusive.ts';
import { probeSchemaFor, type Probe, type WaitProbeInput } from './probe.ts';

/**
 * A fault as far as config can see one (config sits below the faults). The exact union, one member
 * per kind from its schema, is the faults layer's FaultInput; the public input types take it as F
 * (runner/experiment-input.ts).
 */
export type AnyFaultInput = { kind: string } & Record<string, unknown>;
/** A fault spec its kind's schema accepted (defaults filled in). */
export type CheckedFault = { kind: string; [k: string]: unknown };
/** Checks one fault spec against its kind's schema, every problem with its path (the faults layer's checkFault). */
export type FaultChecker = (raw: unknown, path: string) => { value?: CheckedFault; problems: ErrorDetail[] };
type DurationInput = number | string;
/** A step as an experiment writes it: exactly one of fault, wait, waitUntil, sequence, concurrent, random. */
export type StepInput<F extends { kind: string } = AnyFaultInput> = Exclusive<
  | { fault: F; at?: DurationInput; for?: DurationInput; name?: string }
  | { wait: DurationInput }
  | { waitUntil: WaitProbeInput; timeout: DurationInput; every?: DurationInput; onTimeout?: 'fail' | 'continue' }
  | { sequence: StepInput<F>[] }
  | { concurrent: StepInput<F>[] }
  | { random: { count: number; within: DurationInput; for: DurationInput | [DurationInput, DurationInput]; faults: F[]; seed?: number } },
  (typeof STEP_KEYS)[number]
>;

export type Step =
  | { type: 'fault'; path: string; name: string; fault: CheckedFault; atMs: number; forMs?: number }
  | { type: 'wait'; path: string; ms: number }
  | { type: 'waitUntil'; path: string; probe: Probe; timeoutMs: number; everyMs: number; onTimeout: 'fail' | 'continue' }
  | { type: 'sequence' | 'concurrent'; path: string; steps: Step[] }
  | { type: 'random'; path: string; count: number; withinMs: number; forMs: [number, number]; faults: CheckedFault[]; seed?: number };

const STEP_KEYS = ['fault', 'wait', 'waitUntil', 'sequence', 'concurrent', 'random'] as const;
const STEP_FIX = `give the step exactly one of: ${STEP_KEYS.join(', ')}`;

const FaultStep = z.object({ fault: z.unknown(), at: Duration.default(0), for: Duration.optional(), name: z.string().min(1).max(80).optional() }).strict();
const WaitStep = z.object({ wait: Duration }).strict();
const WaitUntilStep = z.object({ waitUntil: z.unknown(), timeout: Duration, every: Duration.default(250), onTimeout: z.enum(['fail', 'continue']).default('fail') }).strict();
const GroupStep = (key: 'sequence' | 'concurrent') => z.object({ [key]: z.array(z.unknown()).min(1) }).strict();
const RandomStep = z.object({
  random: z.object({
    count: z.number().int().min(1).max(1000),
    within: Duration,
    for: z.union([Duration, z.tuple([Duration, Duration])]),
    faults: z.array(z.unknown()).min(1),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  }).strict(),
}).strict();

const zodProblems = (issues: z.core.$ZodIssue[], path: string): ErrorDetail[] =>
  issues.map((i) => ({ path: [path, ...i.path.map(String)].join('.'), message: i.message }));

function checkFaults(raws: unknown[], path: string, problems: ErrorDetail[], checkFault: FaultChecker): CheckedFault[] {
  return raws.flatMap((raw, i) => {
    const r = checkFault(raw, `${path}[${i}]`);
    problems.push(...r.problems);
    return r.value ? [r.value] : [];
  });
}

export function checkProbe(raw: unknown, path: string, problems: ErrorDetail[]): Probe | undefined {
  const schema = probeSchemaFor(raw);
  if (!schema) {
    problems.push({ path, message: 'not a probe', fix: 'give it one of: http, sql, redis, role (and a name)' });
    return undefined;
  }
  const r = schema.safeParse(raw);
  if (!r.success) problems.push(...zodProblems(r.error.issues, path));
  return r.success ? r.data : undefined;
}

/** Check one step and everything under it; every problem goes into `problems`, with its path. */
export function checkStep(raw: unknown, path: string, problems: ErrorDetail[], checkFault: FaultChecker): Step | undefined {
  const keys = raw !== null && typeof raw === 'object' ? STEP_KEYS.filter((k) => k in raw) : [];
  if (keys.length !== 1) {
    problems.push({ path, message: keys.length ? `has ${keys.join(' and ')}` : 'is not a step', fix: STEP_FIX });
    return undefined;
  }
  const key = keys[0]!;
  const before = problems.length;
  switch (key) {
    case 'fault': {
      const r = FaultStep.safeParse(raw);
      const f = checkFault((raw as { fault: unknown }).fault, `${path}.fault`);
      problems.push(...(r.success ? [] : zodProblems(r.error.issues, path)), ...f.problems);
      if (!r.success || !f.value) return undefined;
      return { type: 'fault', path, name: r.data.name ?? f.value.kind, fault: f.value, atMs: r.data.at, ...(r.data.for !== undefined ? { forMs: r.data.for } : {}) };
    }
    case 'wait': {
      const r = WaitStep.safeParse(raw);
      if (!r.success) problems.push(...zodProblems(r.error.issues, path));
      return r.success ? { type: 'wait', path, ms: r.data.wait } : undefined;
    }
    case 'waitUntil': {
      const r = WaitUntilStep.safeParse(raw);
      if (!r.success) problems.push(...zodProblems(r.error.issues, path));
      const rawProbe = (raw as { waitUntil: unknown }).waitUntil;
      const named = rawProbe && typeof rawProbe === 'object' && !('name' in rawProbe) ? { name: 'wait until', ...rawProbe } : rawProbe;
      const probe = checkProbe(named, `${path}.waitUntil`, problems);
      if (!r.success || !probe) return undefined;
      return { type: 'waitUntil', path, probe, timeoutMs: r.data.timeout, everyMs: Math.max(50, r.data.every), onTimeout: r.data.onTimeout };
    }
    case 'sequence':
    case 'concurrent': {
      const r = GroupStep(key).safeParse(raw);
      if (!r.success) {
        problems.push(...zodProblems(r.error.issues, path));
        return undefined;
      }
      const children = (r.data[key] as unknown[]).map((c, i) => checkStep(c, `${path}.${key}[${i}]`, problems, checkFault));
      return problems.length === before ? { type: key, path, steps: children as Step[] } : undefined;
    }
    case 'random': {
      const r = RandomStep.safeParse(raw);
      if (!r.success) {
        problems.push(...zodProblems(r.error.issues, path));
        return undefined;
      }
      const { count, within, faults, seed } = r.data.random;
      const forMs: [number, number] = Array.isArray(r.data.random.for) ? r.data.random.for : [r.data.random.for, r.data.random.for];
      if (forMs[0] > forMs[1]) problems.push({ path: `${path}.random.for`, message: `range [${forMs.join(', ')}] runs backwards`, fix: 'write [shortest, longest]' });
      const checked = checkFaults(faults, `${path}.random.faults`, problems, checkFault);
      if (problems.length !== before) return undefined;
      return { type: 'random', path, count, withinMs: within, forMs, faults: checked, ...(seed !== undefined ? { seed } : {}) };
    }
  }
}
