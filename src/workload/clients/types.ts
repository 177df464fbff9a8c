// What every workload client kind shares. A client is data (a config its kind's schema checks);
// opened for a run it sends each write (classified ok / fail / indeterminate by the shared rules of
// classify.ts) and, where it can, reads its writes back for the ledger. Jepsen's client protocol
// (open, invoke, close) is the model; the checks never see a client, only the history it recorded.
import type { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import type { Target } from '../../config/target.ts';
import type { Workload } from '../../config/workload.ts';
import type { Send } from '../open-loop.ts';

/** A client opened for one run. */
export interface OpenClient {
  /** The open loop's lanes, round robin: one per app node for the app, one for any other kind. */
  lanes: string[];
  /** The stores (ledger columns) a lane's writes go to. */
  storesOf(lane: string): string[];
  send: Send;
  /** The ids of `ids` it finds written; absent when it cannot read back (or the ledger reads the stores itself). */
  readBack?(ids: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export interface CheckContext {
  target: Target;
  workload: Workload;
  /** Where the client sits in the experiment, for error paths. */
  path: string;
  allowRemote: boolean;
}

/**
 * How a kind's writes are read back for the ledger, declared as data:
 * - 'stores': the ledger reads each store's final primary itself (the reference app's own tables);
 * - 'client': always through the client's own readBack;
 * - { needs, in }: through readBack when `needs` is there (a field of the config, or a function
 *   the user's module exports), and not at all without it.
 */
export type ReadBackCapability = 'stores' | 'client' | { needs: string; in: 'config' | 'module' };

/** C: the config its schema yields; I: what an experiment writes (the public input type). */
export interface ClientKind<C extends { kind: string } = { kind: string }, I = unknown> {
  kind: string;
  schema: z.ZodType<C, I>;
  readBack: ReadBackCapability;
  /** Paths in its config made absolute, against the directory of the experiment file. */
  withBase?(c: C, base: string): C;
  /** Everything wrong with this config against the target, before anything is touched; `readsBack`: this config can read its writes back. */
  check(c: C, ctx: CheckContext): Promise<{ problems: ErrorDetail[]; readsBack: boolean }>;
  open(c: C, ctx: { target: Target; workload: Workload }): Promise<OpenClient>;
}

/** The lane of a one-lane client, and the ledger column its writes are counted in: a target store it names, or its own name. */
export const laneOf = (c: { kind: string; name?: string | undefined }): string => c.name ?? c.kind;
