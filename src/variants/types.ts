// What every variant shares. A variant is data: the settings it puts on each system (Patroni's
// dynamic config, every Sentinel, every Redis node), computed from its params. Applying, reading
// back and reverting are the same for all of them (apply.ts), so a variant is one small file.

/** The systems a variant can change, each reached on the members' own published ports. */
export type SurfaceName = 'patroni' | 'sentinel' | 'redis';

/**
 * What to set. patroni: a patch for Patroni's dynamic config (nested, Patroni's own keys);
 * sentinel: `SENTINEL SET` options; redis: `CONFIG SET` parameters (both as the strings Redis reads back).
 */
export interface Settings {
  patroni?: Record<string, unknown>;
  sentinel?: Record<string, string>;
  redis?: Record<string, string>;
}

/** Per system, per node: setting -> value as that node reads it back (null: not set). Patroni keys are dotted paths. */
export type Readings = Partial<Record<SurfaceName, Record<string, Record<string, unknown>>>>;

export interface ParamSpec {
  /** Its name inside the variant, e.g. `ttl`. */
  name: string;
  /** Its name everywhere else (CLI `--param`, sweeps): `<system>.<setting>`, unique in the registry. */
  key: string;
  default: number;
  min: number;
  max: number;
  unit: string;
  description: string;
}

export interface VariantKind {
  name: string;
  /** What it changes, for people (README, `faultline variant list`). */
  description: string;
  params: ParamSpec[];
  /** The settings for these params (every param present: given or its default). */
  settings(params: Record<string, number>): Settings;
  /** Problems between params (e.g. Patroni's loop_wait + 2 × retry_timeout <= ttl), as messages. */
  check?(params: Record<string, number>): string[];
}

/** A variant ready to apply: its name, every param's value, and what it sets. */
export interface ResolvedVariant {
  name: string;
  description: string;
  params: Record<string, number>;
  settings: Settings;
  /** A user-defined variant's compose override (absolute path): `up` only. */
  compose?: string;
  custom: boolean;
}

/** Define a variant kind (typed, so a registry entry cannot miss a field). */
export const variantKind = (k: VariantKind): VariantKind => k;
