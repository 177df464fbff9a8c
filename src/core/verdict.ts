// Three-valued verdicts: a check that could not decide says unknown, never pass.
export type Verdict = 'pass' | 'fail' | 'unknown';

/** One SLO judged: what was observed against the declared limit, and why. */
export interface SloVerdict {
  name: string;
  verdict: Verdict;
  observed: number | boolean | null;
  limit: number | boolean;
  unit: 'ms' | 'writes' | 'ratio' | 'count' | 'bool';
  evidence: string;
}

/** Failover of one store, in ms from the first fault's injection; null when it did not happen. */
export interface FailoverPhases {
  store: string;
  oldPrimary: string | null;
  newPrimary: string | null;
  detectedMs: number | null;
  promotedMs: number | null;
  recoveredMs: number | null;
  errorRateBaselineMs: number | null;
  evidence: string[];
}

export interface WriteTally { attempted: number; acked: number; failed: number; indeterminate: number; lost: number; indeterminateCommitted: number; indeterminateNotCommitted: number; lostWindowMs: number | null }

/** Everything the checks concluded about one run; reports render this and the history only. */
export interface Judgement {
  verdict: Verdict;
  slos: SloVerdict[];
  failover: Record<string, FailoverPhases>;
  writes: WriteTally;
  splitBrainMs: number;
  /** Windows in which no write succeeded, ms from fault injection. */
  unavailable: { start: number; end: number }[];
  errorRate: { before: number | null; during: number | null; after: number | null };
  latency: Record<'before' | 'during' | 'after', { count: number; p50: number; p90: number; p99: number; max: number } | null>;
  unnecessaryFailovers: number;
  /** The time origin of every *Ms figure: the first fault's injection, ms since the run started. */
  faultT: number | null;
}
