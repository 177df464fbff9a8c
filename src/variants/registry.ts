// Every registry variant, looked up by name; every param, by its `<system>.<setting>` key.
// Adding a variant = one file + one line here.
import type { ParamSpec, VariantKind } from './types.ts';
import syncReplication from './sync-replication.ts';
import asyncReplication from './async-replication.ts';
import strictSyncReplication from './strict-sync-replication.ts';
import patroniTiming from './patroni-timing.ts';
import sentinelTiming from './sentinel-timing.ts';
import redisPersistenceOff from './redis-persistence-off.ts';
import redisFencing from './redis-fencing.ts';
import redisFencingOff from './redis-fencing-off.ts';

const kinds = [
  syncReplication, asyncReplication, strictSyncReplication, patroniTiming,
  sentinelTiming, redisPersistenceOff, redisFencing, redisFencingOff,
] as const;

/** The names the public entry types `variant` with (a unit test holds them to the registry). */
export const VARIANT_NAMES = ['sync-replication', 'async-replication', 'strict-sync-replication', 'patroni-timing',
  'sentinel-timing', 'redis-persistence-off', 'redis-fencing', 'redis-fencing-off'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

export const variantRegistry: ReadonlyMap<string, VariantKind> = new Map(kinds.map((k) => [k.name, k]));
export const variantNames = (): string[] => [...variantRegistry.keys()];

/** Every param of every variant by its key (`sentinel.down-after-milliseconds`), with its variant. */
export const paramsByKey: ReadonlyMap<string, { variant: string; param: ParamSpec }> = new Map(
  kinds.flatMap((k) => k.params.map((p) => [p.key, { variant: k.name, param: p }] as const)));
