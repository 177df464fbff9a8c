// What every fault kind shares. A fault is data (a spec checked by its kind's schema); injecting
// it returns an ActiveFault whose heal() is idempotent, so cleanup paths can call it freely.
import type { z } from 'zod';
import type { Target } from '../config/target.ts';
import type { Nodes } from '../runtime/docker.ts';
import type { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import type { StopStorm, StormSpec } from '../runtime/storm.ts';

/**
 * What a fault may ask of the nodes, and no more: the runner's recording context implements
 * exactly this (every touch journaled first), so a kind that works through `injectFault` with the
 * real Nodes works in the runner too. `pid` lets a kernel fault check that every network namespace
 * it will cut can be entered before it cuts any.
 */
export type FaultNodes = Pick<Nodes, 'target' | 'kill' | 'stop' | 'pause' | 'restart' | 'start' | 'state' | 'exec' | 'pid' | 'netfilter'>;

/** Load a fault may put on a node: the runner records it (`load:<node>`) before it starts. */
export interface FaultLoad { storm(node: string, spec: StormSpec): Promise<StopStorm> }

export interface FaultContext {
  target: Target;
  toxiproxy: ToxiproxyApi;
  nodes: FaultNodes;
  /** Every toxic and marker carries it, so leftovers of a killed run can be found and healed. */
  runId: string;
  /** Roles of a store's members, for role selectors; the harness asks the nodes when absent. */
  roles?: (store: string) => Promise<Map<string, string>>;
  /** Load on nodes (storm); started directly when absent. */
  load?: FaultLoad;
  /** Where a fault notes what it found at injection (a role selector's resolution, both views), e.g. the journal. */
  note?: (type: string, data: Record<string, unknown>) => void;
}

export interface ActiveFault {
  id: string;
  kind: string;
  /** Human-readable, resolved (e.g. the node a role selector picked). */
  description: string;
  injectedAt: number;
  heal(): Promise<void>;
}

export interface FaultKind<S> {
  kind: string;
  schema: z.ZodType<S>;
  inject(spec: S, ctx: FaultContext, id: string): Promise<ActiveFault>;
}

/**
 * Wraps a heal so that calls after a successful one do nothing and concurrent calls share one
 * run; a heal that failed may be called again (it retries).
 */
export function once(heal: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= heal().catch((e: unknown) => {
    done = undefined;
    throw e;
  }));
}
