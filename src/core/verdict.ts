// Three-valued verdicts: a check that could not decide says unknown, never pass.
export type Verdict = 'pass' | 'fail' | 'unknown';

/** One SLO judged: what was observed against the declared limit, and why. */
export interface SloVerdict {
  name: string;
  verdict: Verdict;
  observed: number | boolean | null;
  limit: number | boolean | string;
  unit: 'ms' | 'writes' | 'ratio' | 'count' | 'bool';
  evidence: string;
}

/**
 * One failover of one store (or a store a fault hit that did not fail over). Every *Ms counts
 * from `originT` (ms since the run started): the start of the fault that caused it.
 */
export interface FailoverPhases {
  store: string;
  oldPrimary: string | null;
  newPrimary: string | null;
  cause: { id: string; description: string } | null;
  originT: number | null;
  /** A fault on the old primary (or its links) was active, or within the settle window, at the promotion. */
  necessary: boolean;
  /** The system's own evidence that the primary was gone (Sentinel +sdown/+odown, DCS leader key, HAProxy). */
  detectedMs: number | null;
  detectedBy: string | null;
  /** The harness's observers lost contact with the old primary (the poll interval, not the system). */
  unreachableMs: number | null;
  promotedMs: number | null;
  /** Every client of the store wrote successfully again. */
  recoveredMs: number | null;
  /** The store's error rate back within its pre-fault band. */
  errorRateBaselineMs: number | null;
  /** Last acknowledged write before the first one after the promotion, to that one. */
  writeGapMs: number | null;
  evidence: string[];
}

/** Lost acknowledged writes of one store that one node acknowledged, and the promotion that dropped them. */
export interface LostSpan { store: string; node: string; count: number; fromT: number; toT: number; droppedBy: { node: string; t: number } | null }

export interface WriteTally {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
  /** Lost acknowledged writes among the stores that could be read; null when none lost there and a store could not be read. */
  lost: number | null;
  lostByStore: Record<string, number>;
  indeterminateCommitted: number;
  indeterminateNotCommitted: number;
  indeterminateUnknown: number;
  /** Stores whose final primary could not be read, and why. */
  unreadable: { store: string; reason: string }[];
  lostWindowMs: number | null;
  lostSpans: LostSpan[];
  /** A few of the lost ids, to look up. */
  lostExamples: string[];
  /** Writes on which the client itself failed (a user's client threw): no evidence, left out of every figure above. */
  clientBugs: number;
  /** The first few of them, with what the client threw. */
  clientBugExamples: { id: string; client: string; error: string }[];
}

export type PhaseName = 'before' | 'during' | 'recovery' | 'after';
export const PHASES: readonly PhaseName[] = ['before', 'during', 'recovery', 'after'];

/** The run's verdict: the SLOs' plus the run's own records (it died, was interrupted, breached...). */
export interface RunVerdict { verdict: Verdict; reasons: string[]; cleanup: 'ok' | 'failed' }
export type LatencySummary = { count: number; p50: number; p90: number; p99: number; max: number } | null;

/** Everything the checks concluded about one run; reports render this and the history only. */
export interface Judgement {
  /** The SLOs' verdict (the run's own verdict adds the run's records: see runVerdict). */
  verdict: Verdict;
  slos: SloVerdict[];
  /** Per store: its first failover, or a record of a fault that hit it without one, or an empty record. */
  failover: Record<string, FailoverPhases>;
  /** Per store: every failover, in order. */
  failovers: Record<string, FailoverPhases[]>;
  writes: WriteTally;
  /** Proven split brain (writes acknowledged by two primaries at once), ms; null when it cannot be told. */
  splitBrainMs: number | null;
  /** Two members saying primary at once, ms. */
  dualPrimaryClaimMs: number;
  /** Windows in which no client's write succeeded, ms from the first fault. */
  unavailable: { start: number; end: number }[];
  /** Each client's own windows, ms from the first fault. */
  unavailableByClient: Record<string, { start: number; end: number }[]>;
  errorRate: Record<PhaseName, number | null>;
  /** Every write (failures at their time to failure) and successful writes only. */
  latency: { all: Record<PhaseName, LatencySummary>; ok: Record<PhaseName, LatencySummary> };
  unnecessaryFailovers: number;
  /** The time origin of the report's figures: the first fault's injection, ms since the run started. */
  faultT: number | null;
  /** Steady state back after the last heal, ms since the run started. */
  restoredT: number | null;
}
