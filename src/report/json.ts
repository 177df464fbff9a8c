// The `--json` document: one object per run. Failover times are ms from the fault that caused
// each (its `originT`, ms since the run started); unavailability windows are ms from the first fault.
import type { FailoverPhases, Judgement } from '../core/verdict.ts';
import type { RunResult } from '../core/run-result.ts';

export interface JsonReport {
  experiment: string;
  verdict: RunResult['verdict'];
  slos: { name: string; verdict: string; observed: number | boolean | null; limit: number | boolean | string; unit: string; evidence: string }[];
  /** Per store: its first failover (or the fault that hit it without one). */
  failover: Record<string, Omit<FailoverPhases, 'evidence'>>;
  /** Per store: every failover, with its evidence. */
  failovers: Judgement['failovers'];
  writes: Judgement['writes'];
  splitBrainMs: number | null;
  dualPrimaryClaimMs: number;
  unavailableMs: { start: number; end: number }[];
  unavailableByClientMs: Judgement['unavailableByClient'];
  errorRate: Judgement['errorRate'];
  latencyMs: Judgement['latency'];
  unnecessaryFailovers: number;
  /** Where the primaries were: moved as `given` asked, and as the members said when the timeline started. */
  primaries: RunResult['primaries'];
  /** The variants it ran against: each with its params, every node's values read back, and their revert (null: none). */
  variants: RunResult['variants'];
  cleanup: 'ok' | 'failed';
  reasons: string[];
  runId: string;
  seed: number;
  runDir: string;
  reports: RunResult['reports'];
}

export function toJsonReport(r: RunResult): JsonReport {
  const j = r.judgement;
  return {
    experiment: r.experiment,
    verdict: r.verdict,
    slos: j.slos.map(({ name, verdict, observed, limit, unit, evidence }) => ({ name, verdict, observed, limit, unit, evidence })),
    failover: Object.fromEntries(Object.entries(j.failover).map(([s, f]) => {
      const { evidence: _e, ...rest } = f;
      void _e;
      return [s, rest];
    })),
    failovers: j.failovers,
    writes: { ...j.writes },
    splitBrainMs: j.splitBrainMs,
    dualPrimaryClaimMs: j.dualPrimaryClaimMs,
    unavailableMs: j.unavailable,
    unavailableByClientMs: j.unavailableByClient,
    errorRate: j.errorRate,
    latencyMs: j.latency,
    unnecessaryFailovers: j.unnecessaryFailovers,
    primaries: r.primaries,
    variants: r.variants,
    cleanup: r.cleanup.verdict,
    reasons: r.reasons,
    runId: r.runId,
    seed: r.seed,
    runDir: r.runDir,
    reports: r.reports,
  };
}
