// What every store kind shares. A kind is how the harness knows one sort of replicated store: what
// it can answer (its capabilities, held against an experiment before anything runs), how each
// member answers for its own role, whom its manager names primary (Patroni's leader, the Sentinel
// majority's master), how its primary is moved, and what the observers watch on its members.
import type { z } from 'zod';
import type { ErrorDetail } from '../core/errors.ts';
import type { Store, Target, TargetFile, TargetNode } from '../config/target.ts';
import type { Observation } from '../history/model.ts';
import type { Probe } from '../observe/poller.ts';
import type { MemberView } from './member-view.ts';

/** What a store can be asked, each said as "can ..." for the messages that refuse an experiment. */
export const CAPABILITIES = {
  primary: 'tell which member is primary',
  replicas: 'tell which members are replicas',
  upstreams: 'tell whom each replica streams from',
  manager: "name its primary by the store's own manager",
  place: 'move its primary to a chosen member',
  observe: "watch its members' roles through a run",
} as const;
export type Capability = keyof typeof CAPABILITIES;

/** One store as its kind sees it: its declaration (with the kind's own fields parsed) and its member nodes. */
export interface StoreCtx<S = unknown> { target: Target; name: string; store: Store; spec: S; members: TargetNode[] }

export interface ManagerView {
  /** The member the manager names, or null when it names none (or no majority agrees). */
  primary: string | null;
  /** Who said so, for people: "Patroni's leader key (/cluster on pg-b)", "2 of 3 Sentinels". */
  by: string;
  /** Each voice asked and its answer (a Sentinel and the master it names), for the journal. */
  voices?: Record<string, string>;
  /**
   * Set while the manager itself says it is moving the primary (a Sentinel marks the master it
   * names objectively down, or a failover of it in progress): the name it gives is the one it is
   * leaving, so it means no primary yet. Says who said so.
   */
  changing?: string;
  /**
   * Set while the manager names its primary but is not quiet yet: a failover still finishing (a
   * Sentinel reconfiguring the replicas), or a voice that names another primary (a Sentinel with a
   * stale view, which would act on it). A placement is not done until this clears.
   */
  unsettled?: string;
}

/** An observer source each member needs, and the name of the published port it asks (null: the kind's own probe asks). */
export type SourceSpec = readonly [Observation['source'], string | null];

export interface StoreKind<S = unknown> {
  kind: string;
  /** For people: "Postgres under Patroni". */
  title: string;
  /** The kind's own fields in a target's store, besides `members` and `kind`. */
  schema: z.ZodType<S>;
  /** What the kind can answer at most, each with the condition it needs ('' for none), for the messages that name the kinds that can. */
  offers: Partial<Record<Capability, string>>;
  /** What one store of the kind can answer, as declared. */
  capabilities(spec: S): ReadonlySet<Capability>;
  /** Rules zod cannot express: the ports its members must publish, the nodes it names. */
  check?(t: TargetFile, name: string, store: Store, spec: S): ErrorDetail[];
  /** Whether a store that leaves out `kind` is of this kind (from its members' node kinds and its fields). */
  infer?(t: TargetFile, store: Store): boolean;
  /** Each member's role as the node itself answers for it. */
  members(ctx: StoreCtx<S>): Promise<Map<string, MemberView>>;
  /** The manager's view of the primary (a kind with the `manager` capability). */
  manager?(ctx: StoreCtx<S>): Promise<ManagerView>;
  /** Moving the primary (a kind with `place`): what the move is called, and the move itself. */
  placement?: { how: string; move(ctx: StoreCtx<S>, from: string, to: string): Promise<void> };
  /** The observer sources on each member. */
  sources(spec: S): readonly SourceSpec[];
  /** The source whose answer says whether a member takes writes (what the checks judge roles by). */
  roleSource?(spec: S): Observation['source'] | undefined;
  /** A poll the kind builds itself for a member (a generic role probe), for its `role-probe` source. */
  probe?(ctx: StoreCtx<S>, member: TargetNode, timeoutMs: number): Probe;
}

/** A kind as the registry holds it (its spec type erased). */
export type AnyStoreKind = StoreKind<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Each kind exports `defineStoreKind({...})`: typed by its own schema, held by the registry erased. */
export const defineStoreKind = <S>(k: StoreKind<S>): StoreKind<S> => k;
