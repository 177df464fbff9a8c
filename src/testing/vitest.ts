// Experiments inside vitest: `expect.extend(faultlineMatchers)` adds `toMeetSlos()` (and
// `toHaveHealed()`), and `runForTest` runs an experiment with the test's own settings. Nothing here
// imports vitest at run time, so production code never loads it: the type-only import below is
// erased, and only puts vitest's types in the program, so that the augmentation at the end
// resolves wherever these declarations go (emitted .d.ts files included).
import type {} from 'vitest';
import { defineExperiment, type ExperimentInput } from '../runner/experiment-input.ts';
import { checkExperiment } from '../runner/check-experiment.ts';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { runExperiment, type RunOptions, type RunResult } from '../runner/run.ts';

interface MatcherResult { pass: boolean; message: () => string }

const isRun = (v: unknown): v is RunResult => typeof v === 'object' && v !== null && 'judgement' in v && 'cleanup' in v;

export const faultlineMatchers = {
  /** Every SLO passed, the verdict is pass, and cleanup is ok; the message lists each SLO observed against its limit. */
  toMeetSlos(received: unknown): MatcherResult {
    if (!isRun(received)) return { pass: false, message: () => 'expected the result of runExperiment / runForTest' };
    const lines = received.judgement.slos.map((s) => `  ${s.verdict === 'pass' ? '✓' : '✗'} ${s.name}: observed ${s.observed ?? 'nothing'}, limit ${s.limit} (${s.evidence})`);
    const pass = received.verdict === 'pass' && received.cleanup.verdict === 'ok';
    return {
      pass,
      message: () => `${received.experiment}: verdict ${received.verdict}, cleanup ${received.cleanup.verdict}\n${lines.join('\n')}${received.reasons.length ? `\n  reasons:\n${received.reasons.map((r) => `    - ${r}`).join('\n')}` : ''}\n  journal: ${received.reports.journal}`,
    };
  },
  /** Everything the run faulted was healed (cleanup verdict ok). */
  toHaveHealed(received: unknown): MatcherResult {
    if (!isRun(received)) return { pass: false, message: () => 'expected the result of runExperiment / runForTest' };
    return { pass: received.cleanup.verdict === 'ok', message: () => `cleanup ${received.cleanup.verdict}: ${received.cleanup.leftoversRemaining.join('; ') || 'nothing left'}` };
  },
};

/** Check and run an experiment inside a test; bad input throws the coded error listing every problem. */
export async function runForTest(input: ExperimentInput, opts: RunOptions = {}): Promise<RunResult> {
  const { value, problems } = checkExperiment(defineExperiment(input));
  if (!value) throw new FaultlineError(ErrorCodes.BAD_EXPERIMENT, `experiment "${input.name}" is not valid`, 'correct each field listed above', { details: problems });
  return runExperiment(value, opts);
}

declare module 'vitest' {
  // The type parameters must match vitest's own declaration for the two to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> {
    toMeetSlos(): R;
    toHaveHealed(): R;
  }
}
