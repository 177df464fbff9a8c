// Who is primary right now, and who really replicates, asked directly of each node on its
// published (un-proxied) port, so a fault on a link never hides the truth from the harness. Each
// store is asked the way its kind says (src/stores/).
import type { Target, TargetNode } from '../config/target.ts';
import { nodeList } from '../config/target.ts';
import { hostPort, redisCommand } from '../stores/ask-node.ts';
import type { MemberView, Role } from '../stores/member-view.ts';
import { patroniCluster } from '../stores/patroni-members.ts';
import { choosePrimary, chooseReplica, roleViews, type Resolved } from '../stores/primary.ts';
import { storeCtx } from '../stores/registry.ts';

export { redisCommand } from '../stores/ask-node.ts';
export type { MemberView, Role } from '../stores/member-view.ts';

/** Patroni's own view: member name -> leader / sync_standby / replica (its state ignored). */
export async function patroniRoles(t: Target): Promise<Map<string, string>> {
  const c = await patroniCluster(t, nodeList(t).filter((x) => x.kind === 'postgres'));
  return new Map((c?.members ?? []).map((m) => [m.name, m.role]));
}

/** A node outside any Postgres or Redis store: Sentinels say which master they see, a Redis node (a witness) its ROLE. */
async function roleOf(t: Target, n: TargetNode): Promise<Role> {
  try {
    if (n.kind === 'redis') {
      const r = (await redisCommand(t.host, hostPort(n, 'redis'), ['ROLE'])) as unknown[];
      return r[0] === 'master' ? 'primary' : r[0] === 'slave' ? `replica of ${String(r[1])}${r[3] === 'connected' ? '' : ` (${String(r[3])})`}` : String(r[0]);
    }
    if (n.kind !== 'sentinel') return 'member';
    const store = Object.values(t.stores).find((s) => 'masterName' in s) as { masterName?: string } | undefined;
    const addr = (await redisCommand(t.host, hostPort(n, 'sentinel'), ['SENTINEL', 'get-master-addr-by-name', store?.masterName ?? 'mymaster'])) as string[] | null;
    return addr ? `sees ${addr[0]}` : 'no master';
  } catch {
    return 'down';
  }
}

/** Each member of one store, with its role (as the node itself answers) and why. */
export async function storeMembers(t: Target, store: string): Promise<Map<string, MemberView>> {
  const { kind, ctx } = storeCtx(t, store);
  return kind.members(ctx);
}

const rolesOnly = (m: Map<string, MemberView>): Map<string, Role> => new Map([...m].map(([k, v]) => [k, v.role]));

/** Each member of one store with its role ("replica" only when streaming from the primary). */
export const storeRoles = async (t: Target, store: string): Promise<Map<string, Role>> => rolesOnly(await storeMembers(t, store));

/** Every node's role: store members by their store, the rest on their own. */
export async function allRoles(t: Target): Promise<Map<string, Role>> {
  const inStores = new Set(Object.values(t.stores).flatMap((s) => s.members));
  const views = await Promise.all(Object.keys(t.stores).map((s) => storeRoles(t, s)));
  const rest = await Promise.all(nodeList(t).filter((n) => !inStores.has(n.name)).map(async (n) => [n.name, await roleOf(t, n)] as const));
  const all = new Map([...views.flatMap((v) => [...v]), ...rest]);
  return new Map(nodeList(t).map((n) => [n.name, all.get(n.name) ?? 'unknown']));
}

/** The member of a store that says it is primary, or undefined when none (or more than one) does. */
export async function currentPrimary(t: Target, store: string): Promise<string | undefined> {
  const primaries = [...(await storeRoles(t, store))].filter(([, r]) => r === 'primary').map(([m]) => m);
  return primaries.length === 1 ? primaries[0] : undefined;
}

/** Whom `{ primaryOf }` / `{ replicaOf }` means now: the manager's primary where the kind has a manager, with both views. */
export async function resolveRole(t: Target, store: string, want: 'primary' | 'replica'): Promise<Resolved> {
  const v = await roleViews(t, store);
  return want === 'primary' ? choosePrimary(v) : chooseReplica(v);
}

/** How long a role selector waits for a store's manager that names no primary, or is moving it, to settle. */
export const MANAGER_SETTLE_MS = 30_000;

/**
 * As resolveRole, but while the manager names no primary or says it is moving it (an election, a
 * failover under way), asks again every 250 ms for up to `settleMs`: what the store will have as
 * its primary is not known until then, and the name it gave is the one it is leaving. A store
 * without a manager is answered at once. `waitedMs` and the first answer say what was waited for.
 */
export async function resolveRoleSettled(t: Target, store: string, want: 'primary' | 'replica', settleMs = MANAGER_SETTLE_MS): Promise<Resolved & { waitedMs?: number; firstWhy?: string }> {
  const t0 = performance.now();
  const first = await resolveRole(t, store, want);
  let r = first;
  while (!r.node && r.by === 'manager' && performance.now() - t0 < settleMs) {
    await new Promise((res) => setTimeout(res, 250));
    r = await resolveRole(t, store, want);
  }
  return r === first ? r : { ...r, waitedMs: Math.round(performance.now() - t0), ...(first.why ? { firstWhy: first.why } : {}) };
}
