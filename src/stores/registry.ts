// Every store kind, looked up by name. Adding a kind = one file + one line here. A store that
// leaves out `kind` is of the first kind whose `infer` takes it (so Patroni before plain Postgres,
// Sentinel before plain Redis), else generic: what the harness assumed before stores had kinds.
import type { Store, Target, TargetFile } from '../config/target.ts';
import { nodeList } from '../config/target.ts';
import generic from './generic.ts';
import patroni from './patroni.ts';
import postgresStreaming from './postgres-streaming.ts';
import redisReplication from './redis-replication.ts';
import sentinel from './sentinel.ts';
import { CAPABILITIES, type AnyStoreKind, type Capability, type StoreCtx } from './types.ts';

const kinds: readonly AnyStoreKind[] = [patroni, postgresStreaming, sentinel, redisReplication, generic];

export const storeKinds: ReadonlyMap<string, AnyStoreKind> = new Map(kinds.map((k) => [k.kind, k]));
export const storeKindNames = (): string[] => [...storeKinds.keys()];

/** The kind a store declares, or the one its members imply. */
export function kindNameOf(t: TargetFile, store: Store): string {
  if (typeof store.kind === 'string') return store.kind;
  return kinds.find((k) => k.infer?.(t, store))?.kind ?? generic.kind;
}

// A store's own fields, parsed by its kind once (the target was checked when it was loaded).
const specs = new WeakMap<Store, unknown>();

/** A store's kind and its context; throws for a store the target does not declare. */
export function storeCtx(t: Target, name: string): { kind: AnyStoreKind; ctx: StoreCtx } {
  const store = t.stores[name];
  if (!store) throw new Error(`no store "${name}" in ${t.projectName}`);
  const kind = storeKinds.get(kindNameOf(t, store));
  if (!kind) throw new Error(`store ${name} is of unknown kind "${String(store.kind)}"`);
  if (!specs.has(store)) specs.set(store, kind.schema.parse(store));
  return { kind, ctx: { target: t, name, store, spec: specs.get(store), members: nodeList(t).filter((n) => store.members.includes(n.name)) } };
}

export function capabilitiesOf(t: Target, name: string): ReadonlySet<Capability> {
  const { kind, ctx } = storeCtx(t, name);
  return kind.capabilities(ctx.spec);
}

/** "patroni, sentinel, generic (with a role probe)": the kinds that can answer it, for a fix. */
export const kindsThatCan = (c: Capability): string =>
  kinds.filter((k) => k.offers[c] !== undefined).map((k) => (k.offers[c] ? `${k.kind} (${k.offers[c]})` : k.kind)).join(', ');

/** "store cache (generic, no role probe) cannot tell which member is primary". */
export function cannotSay(t: Target, name: string, c: Capability): string {
  const { kind, ctx } = storeCtx(t, name);
  const cond = kind.offers[c];
  return `store ${name} is of kind "${kind.kind}"${cond && !kind.capabilities(ctx.spec).has(c) ? ` without ${cond.replace(/^with /, '')}` : ''}, which cannot ${CAPABILITIES[c]}`;
}
