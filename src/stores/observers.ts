// The observers, told by each store's kind what to watch on its members (a plain Postgres has no
// Patroni to poll; a generic store has its own role probe). Nodes outside any store are watched by
// their node kind, as before.
import type { Target } from '../config/target.ts';
import { startObservers as start, type ObserverOptions, type ObserverSink, type Observers } from '../observe/observers.ts';
import type { StoreInfo } from '../history/model.ts';
import { storesOf } from '../checks/judge.ts';
import { storeCtx } from './registry.ts';

/** The store a node is a member of. */
const memberOf = (t: Target, node: string): string | undefined => Object.entries(t.stores).find(([, s]) => s.members.includes(node))?.[0];

export function storeObserverOptions(t: Target): Pick<ObserverOptions, 'sourcesOf' | 'probeOf'> {
  return {
    sourcesOf: (node) => {
      const store = memberOf(t, node);
      if (store === undefined) return undefined;
      const { kind, ctx } = storeCtx(t, store);
      return kind.sources(ctx.spec);
    },
    probeOf: (w, timeoutMs) => {
      const store = memberOf(t, w.node);
      if (store === undefined) return undefined;
      const { kind, ctx } = storeCtx(t, store);
      const member = ctx.members.find((m) => m.name === w.node)!;
      return kind.probe?.(ctx, member, timeoutMs);
    },
  };
}

export const startObservers = (t: Target, sink: ObserverSink, opts: ObserverOptions = {}): Promise<Observers> =>
  start(t, sink, { ...storeObserverOptions(t), ...opts });

/** What the checks need of each store, journaled at the start of a run: with its store kind and role source. */
export function storeInfos(t: Target): Record<string, StoreInfo> {
  return Object.fromEntries(Object.entries(storesOf(t)).map(([name, info]) => {
    const { kind, ctx } = storeCtx(t, name);
    const roleSource = kind.roleSource?.(ctx.spec);
    return [name, { ...info, storeKind: kind.kind, ...(roleSource ? { roleSource } : {}) }];
  }));
}
