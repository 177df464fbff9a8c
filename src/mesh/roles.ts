// Who is primary right now, asked directly of each node on its published (un-proxied) port, so a
// fault on a link never hides the truth from the harness.
import { Redis } from 'ioredis';
import type { Target, TargetNode } from '../config/target.ts';
import { nodeList } from '../config/target.ts';

export type Role = 'primary' | 'replica' | 'member' | 'down' | 'unknown' | string;

async function getJson(url: string, ms = 1500): Promise<unknown> {
  const r = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return r.json();
}

/** One command on a fresh connection that gives up fast: for probes, never for workloads. */
export async function redisCommand(host: string, port: number, args: [string, ...string[]]): Promise<unknown> {
  const r = new Redis({ host, port, lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await r.call(...args);
  } finally {
    r.disconnect();
  }
}

const hostPort = (n: TargetNode, port: string): number => {
  const p = n.hostPorts[port];
  if (p === undefined) throw new Error(`${n.name} publishes no ${port} port`);
  return p;
};

/** Patroni's own view: member name -> leader / sync_standby / replica. */
export async function patroniRoles(t: Target): Promise<Map<string, string>> {
  for (const n of nodeList(t).filter((x) => x.kind === 'postgres')) {
    try {
      const c = (await getJson(`http://${t.host}:${hostPort(n, 'patroni')}/cluster`)) as { members: { name: string; role: string; state: string }[] };
      return new Map(c.members.map((m) => [m.name, m.role]));
    } catch {
      // That member is down; ask the next one.
    }
  }
  return new Map();
}

export async function roleOf(t: Target, n: TargetNode, patroni?: Map<string, string>): Promise<Role> {
  try {
    switch (n.kind) {
      case 'postgres': {
        const r = (patroni ?? (await patroniRoles(t))).get(n.name);
        return r === undefined ? 'down' : r === 'leader' || r === 'master' || r === 'primary' ? 'primary' : 'replica';
      }
      case 'redis': {
        const role = (await redisCommand(t.host, hostPort(n, 'redis'), ['ROLE'])) as [string, ...unknown[]];
        return role[0] === 'master' ? 'primary' : 'replica';
      }
      case 'sentinel': {
        const store = Object.values(t.stores).find((s) => 'masterName' in s) as { masterName?: string } | undefined;
        const addr = (await redisCommand(t.host, hostPort(n, 'sentinel'), ['SENTINEL', 'get-master-addr-by-name', store?.masterName ?? 'mymaster'])) as string[] | null;
        return addr ? `sees ${addr[0]}` : 'no master';
      }
      default:
        return 'member';
    }
  } catch {
    return 'down';
  }
}

/** Roles of the given nodes, asking Patroni once for all Postgres members among them. */
async function rolesOf(t: Target, nodes: TargetNode[]): Promise<Map<string, Role>> {
  const patroni = nodes.some((n) => n.kind === 'postgres') ? await patroniRoles(t) : undefined;
  return new Map(await Promise.all(nodes.map(async (n) => [n.name, await roleOf(t, n, patroni)] as const)));
}

export const allRoles = (t: Target): Promise<Map<string, Role>> => rolesOf(t, nodeList(t));

/** Each member of one store with its role, asking only those members. */
export const storeRoles = (t: Target, store: string): Promise<Map<string, Role>> =>
  rolesOf(t, nodeList(t).filter((n) => t.stores[store]?.members.includes(n.name)));

/** The node of a store that says it is primary, or undefined when none (or more than one) does. */
export async function currentPrimary(t: Target, store: string): Promise<string | undefined> {
  const primaries = [...(await storeRoles(t, store))].filter(([, r]) => r === 'primary').map(([m]) => m);
  return primaries.length === 1 ? primaries[0] : undefined;
}
