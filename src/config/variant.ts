// Variants as an experiment names them: a registry variant (by name, with params) or one of the
// user's own (its settings). Config sits below the variants layer and cannot see the registry, so
// the checker that knows it is handed in (runner/check-experiment.ts), as the fault checker is.
import type { ErrorDetail } from '../core/errors.ts';

/** A user-defined variant: what to set on each system. Keys are the systems' own names. */
export interface CustomVariantInput {
  /** Lower-case words joined by "-"; not a registry variant's name. */
  name: string;
  description?: string;
  /** A patch for Patroni's dynamic configuration (`PATCH /config`), e.g. `{ postgresql: { parameters: { synchronous_commit: 'local' } } }`. */
  patroni?: Record<string, unknown>;
  /** `SENTINEL SET <master> <option> <value>` on every Sentinel, e.g. `{ 'down-after-milliseconds': 3000 }`. */
  sentinel?: Record<string, number | string>;
  /** `CONFIG SET <parameter> <value>` on every Redis node, e.g. `{ appendfsync: 'always' }`. */
  redis?: Record<string, number | string>;
  /** A compose override file (relative to the variant file): `faultline up --variant <file>` only, never live. */
  compose?: string;
}

/** N: the registry's variant names (the public entry narrows it). */
export type VariantSpecInput<N extends string = string> = N | { name: N; params?: Record<string, number> } | CustomVariantInput;
export type VariantInput<N extends string = string> = VariantSpecInput<N> | VariantSpecInput<N>[];

/** One variant, checked: a registry variant with the params it was given, or a user-defined one with its settings. */
export interface VariantUse {
  name: string;
  /** Params as given, by their short names (a registry variant fills in the rest from its defaults). */
  params: Record<string, number>;
  /** Present for a user-defined variant. */
  custom?: Omit<CustomVariantInput, 'name'>;
}

/** Checks `variant` (raw input at `path`): the uses it names, and every problem with its path. */
export type VariantChecker = (raw: unknown, path: string) => { value: VariantUse[]; problems: ErrorDetail[] };
