// The `--json` document: one object per run, times in ms from the first fault's injection.
import type { RunResult } from '../runner/run.ts';

export interface JsonReport {
  experiment: string;
  verdict: RunResult['verdict'];
  slos: { name: string; verdict: string; observed: number | boolean | null; limit: number | boolean; unit: string; evidence: string }[];
  failover: Record<string, { detectedMs: number | null; promotedMs: number | null; recoveredMs: number | null; errorRateBaselineMs: number | null; oldPrimary: string | null; newPrimary: string | null }>;
  writes: { attempted: number; acked: number; failed: number; lost: number; indeterminate: number; indeterminateCommitted: number; indeterminateNotCommitted: number; lostWindowMs: number | null };
  splitBrainMs: number;
  unavailableMs: { start: number; end: number }[];
  errorRate: RunResult['judgement']['errorRate'];
  latencyMs: RunResult['judgement']['latency'];
  unnecessaryFailovers: number;
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
    failover: Object.fromEntries(Object.entries(j.failover).map(([s, f]) => [s, {
      detectedMs: f.detectedMs, promotedMs: f.promotedMs, recoveredMs: f.recoveredMs, errorRateBaselineMs: f.errorRateBaselineMs, oldPrimary: f.oldPrimary, newPrimary: f.newPrimary,
    }])),
    writes: { ...j.writes },
    splitBrainMs: j.splitBrainMs,
    unavailableMs: j.unavailable,
    errorRate: j.errorRate,
    latencyMs: j.latency,
    unnecessaryFailovers: j.unnecessaryFailovers,
    cleanup: r.cleanup.verdict,
    reasons: r.reasons,
    runId: r.runId,
    seed: r.seed,
    runDir: r.runDir,
    reports: r.reports,
  };
}
