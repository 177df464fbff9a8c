// The client a user writes in TypeScript, as the public entry exports it. faultline calls open once
// per run, invoke once per write (open loop: many at once), readBack once the run has healed, and
// close at the end. invoke answers what became of the write; it may also let a network error escape
// (a refused connection, a reset, a timeout), which is classified by the same rules as every other
// client's. Anything else it throws is the client's bug: that write is recorded as a client bug,
// not as a failed write, and the run's verdict is unknown.
import type { Target } from '../../config/target.ts';

/** What became of one write: acknowledged, certainly not written, or not known. */
export type ClientOutcome = 'ok' | 'fail' | 'indeterminate';

export interface ClientAnswer {
  outcome: ClientOutcome;
  /** Why it was not acknowledged, in a few words (kept in the journal). */
  error?: string;
  /** An HTTP status or the like, if there is one. */
  status?: number;
  /** Per store, the node that says it took the write: what split-brain detection needs. */
  nodes?: Record<string, string>;
}

export interface ClientOp {
  /** Unique to this write (`<run id>-<sequence>`): write it where readBack can find it. */
  id: string;
  /** The lane (the client's name) it was sent on. */
  lane: string;
  /** Aborted when the workload's timeout passes: the write is then indeterminate whatever comes later. */
  signal: AbortSignal;
  timeoutMs: number;
}

export interface ClientContext<O = unknown> {
  /** The target (hosts, published ports, stores) the run is against. */
  target: Target;
  /** workload.client.options, as the experiment gives them. */
  options: O;
  timeoutMs: number;
}

export interface WorkloadClient<O = unknown> {
  open?(ctx: ClientContext<O>): void | Promise<void>;
  invoke(op: ClientOp): Promise<ClientOutcome | ClientAnswer>;
  /** The ids of `ids` that are written, read from the system's final state. Without it, maxLostAckedWrites cannot be judged. */
  readBack?(ids: string[]): Promise<Iterable<string>>;
  close?(): void | Promise<void>;
}
