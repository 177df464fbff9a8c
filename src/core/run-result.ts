// What one run of an experiment comes to, as data: the runner produces it; the reports, the CLI
// and the matchers read it. It lives here, below all of them, so none has to reach up into the
// runner for its shape.
import type { Judgement, Verdict } from './verdict.ts';

/** One probe's answer: ok or not, what it saw, and how long it took. */
export interface ProbeResult { ok: boolean; detail: string; ms: number }
/** A probe's answer at `t` (ms since the run started). */
export interface ProbeOutcome extends ProbeResult { probe: string; t: number }

/** One fault of the plan: when it went in and came out (ms since the run started), or why not. */
export interface FaultRecord { id: string; name: string; path: string; kind: string; description?: string; injectedMs?: number; healedMs?: number; error?: string }

/** Whether everything the run faulted was healed, and what had to be healed again or is still faulted. */
export interface CleanupResult { verdict: 'ok' | 'failed'; healErrors: string[]; leftoversHealed: string[]; leftoversRemaining: string[] }

/** One `given.primaries` entry, done: who was primary, and how the wanted member was made it (ms until the members agreed). */
/** how: 'already', or the store kind's move ('patroni switchover', 'sentinel failover'). */
export interface PlacedPrimary { store: string; wanted: string; was: string | null; how: string; ms: number }

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
  /** Where the primaries were: moved as the experiment's `given` asked, and as the members said when the timeline started (null: it never started). */
  primaries: { given: PlacedPrimary[]; atStart: Record<string, string | null> | null };
  faults: FaultRecord[];
  cleanup: CleanupResult;
  /** What the checks concluded from the recorded history (SLOs, failover phases, writes, split brain, latency). */
  judgement: Judgement;
  reports: { journal: string; result: string; junit?: string; html?: string };
  durationMs: number;
  /** For a run of a sweep: the sweep's experiment and this run's parameter values. */
  sweep?: { experiment: string; params: Record<string, string> };
}
