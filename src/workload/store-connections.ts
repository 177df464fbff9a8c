// How the host reaches a target's stores on their published ports: a Postgres store through its
// write endpoint (HAProxy, which routes to the primary), a Redis store through its Sentinels,
// which name masters by their mesh address (natMap turns that into the published one).
import type { Target } from '../config/target.ts';
import { storeOfKind } from './store-of-kind.ts';

/** A store's Postgres endpoint: its first write endpoint (or member) that publishes a "postgres" port. */
export function postgresEndpoint(t: Target, storeName = storeOfKind(t, 'postgres'), node?: string): { store: string; node: string; port: number } | undefined {
  const store = storeName ? (t.stores[storeName] as { members: string[]; writeEndpoints?: string[] } | undefined) : undefined;
  if (!store) return undefined;
  const found = (node ? [node] : [...(store.writeEndpoints ?? []), ...store.members]).find((n) => t.nodes[n]?.hostPorts.postgres);
  return found ? { store: storeName!, node: found, port: t.nodes[found]!.hostPorts.postgres! } : undefined;
}

export interface SentinelRoute {
  store: string;
  sentinels: { host: string; port: number }[];
  name: string;
  natMap: Record<string, { host: string; port: number }>;
  /** A member by its published Redis port: a connection's remote port names the node it reached. */
  byPort: Map<number | undefined, string>;
}

/** How to find a Redis store's master through the Sentinels publishing a "sentinel" port. */
export function sentinelRoute(t: Target, storeName = storeOfKind(t, 'redis')): SentinelRoute | undefined {
  const store = storeName ? (t.stores[storeName] as { members: string[]; masterName?: string } | undefined) : undefined;
  const sentinelNodes = Object.entries(t.nodes).filter(([, n]) => n.kind === 'sentinel' && n.hostPorts.sentinel);
  if (!store || !sentinelNodes.length) return undefined;
  // Sentinels announce masters and each other by mesh address; both map to published ports.
  const published = (name: string, port: string) => [`${name}:${t.nodes[name]!.ports[port]}`, { host: t.host, port: t.nodes[name]!.hostPorts[port]! }] as const;
  return {
    store: storeName!,
    sentinels: sentinelNodes.map(([, n]) => ({ host: t.host, port: n.hostPorts.sentinel! })),
    name: store.masterName ?? 'mymaster',
    natMap: Object.fromEntries([
      ...store.members.filter((m) => t.nodes[m]?.hostPorts.redis).map((m) => published(m, 'redis')),
      ...sentinelNodes.map(([name]) => published(name, 'sentinel')),
    ]),
    byPort: new Map(store.members.map((m) => [t.nodes[m]?.hostPorts.redis, m])),
  };
}
