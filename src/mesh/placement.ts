// Put a store's primary on a chosen member before an experiment's timeline, so its verdict does
// not depend on where the primary happened to be: Patroni's own switchover for a Patroni store,
// a Sentinel failover for a Sentinel store; then verified, as the harness always verifies, by
// asking the members themselves (the chosen one primary, every other one streaming from it).
import type { PlacedPrimary } from '../core/run-result.ts';
import { nodeList, type Target, type TargetNode } from '../config/target.ts';
import { hostPort, redisCommand } from './ask-node.ts';
import { describeMember } from './member-view.ts';
import { currentPrimary, storeMembers } from './roles.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const masterNameOf = (t: Target, store: string): string => String(t.stores[store]?.masterName);

/** How a store moves its primary, from what the target says it is; undefined: it cannot be moved. */
export function placementOf(t: Target, store: string): 'patroni switchover' | 'sentinel failover' | undefined {
  const s = t.stores[store];
  if (!s) return undefined;
  const members = nodeList(t).filter((n) => s.members.includes(n.name));
  if (members.every((n) => n.kind === 'postgres' && n.hostPorts.patroni !== undefined)) return 'patroni switchover';
  if (members.every((n) => n.kind === 'redis') && typeof s.masterName === 'string' && nodeList(t).some((n) => n.kind === 'sentinel')) return 'sentinel failover';
  return undefined;
}

/** What the members say, as one line: who is primary and who is not yet streaming. */
async function placedYet(t: Target, store: string, wanted: string): Promise<string | undefined> {
  const members = await storeMembers(t, store);
  const off = [...members].filter(([m, v]) => (m === wanted ? v.role !== 'primary' : v.role !== 'replica')).map(([m, v]) => describeMember(m, v));
  if (off.length) return off.join('; ');
  if (placementOf(t, store) !== 'sentinel failover') return undefined;
  const master = masterNameOf(t, store);
  const views = await Promise.all(nodeList(t).filter((n) => n.kind === 'sentinel').map(async (n) => {
    const a = (await redisCommand(t.host, hostPort(n, 'sentinel'), ['SENTINEL', 'get-master-addr-by-name', master]).catch(() => null)) as string[] | null;
    return a?.[0] === wanted ? undefined : `${n.name} names ${a?.[0] ?? 'nothing'}`;
  }));
  return views.filter(Boolean).join('; ') || undefined;
}

async function patroniSwitchover(t: Target, members: TargetNode[], leader: string, candidate: string): Promise<void> {
  const via = members.find((n) => n.name === leader)!;
  const r = await fetch(`http://${t.host}:${hostPort(via, 'patroni')}/switchover`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ leader, candidate }), signal: AbortSignal.timeout(30_000),
  });
  if (!r.ok) throw new Error(`Patroni refused the switchover ${leader} -> ${candidate}: HTTP ${r.status} ${(await r.text()).trim().slice(0, 200)}`);
}

async function sentinelFailover(t: Target, store: string, members: TargetNode[], wanted: string): Promise<void> {
  const master = masterNameOf(t, store);
  // Sentinel picks the replica to promote itself; the others are kept out of its choice by
  // priority 0 for the failover, and given their own priority back after it.
  const others = members.filter((n) => n.name !== wanted);
  const priorities = new Map<TargetNode, string>();
  for (const n of others) {
    const p = (await redisCommand(t.host, hostPort(n, 'redis'), ['CONFIG', 'GET', 'replica-priority']).catch(() => null)) as string[] | null;
    if (p?.[1] !== undefined) {
      priorities.set(n, p[1]);
      await redisCommand(t.host, hostPort(n, 'redis'), ['CONFIG', 'SET', 'replica-priority', '0']);
    }
  }
  try {
    const sentinels = nodeList(t).filter((n) => n.kind === 'sentinel');
    let last: unknown;
    for (const s of sentinels) {
      try {
        await redisCommand(t.host, hostPort(s, 'sentinel'), ['SENTINEL', 'FAILOVER', master]);
        last = undefined;
        break;
      } catch (e) {
        last = e; // e.g. this Sentinel is down: ask the next one
      }
    }
    if (last) throw new Error(`no Sentinel started a failover of ${master}: ${(last as Error).message}`);
    // The others' priorities stay at 0 until Sentinel has promoted the wanted one.
    const deadline = Date.now() + 30_000;
    while ((await currentPrimary(t, store)) !== wanted && Date.now() < deadline) await sleep(200);
  } finally {
    for (const [node, p] of priorities) {
      await redisCommand(t.host, hostPort(node, 'redis'), ['CONFIG', 'SET', 'replica-priority', p]).catch(() => undefined);
    }
  }
}

/**
 * Make `wanted` the primary of `store` and wait until the members agree (the chosen one primary,
 * every other one a streaming replica, every Sentinel naming it). Throws, saying what the
 * members said, when it cannot within `timeoutMs`. The store and member are as validation
 * checked them (runner/validate.ts: a member of a store placementOf can move).
 */
export async function placePrimary(t: Target, store: string, wanted: string, timeoutMs = 90_000): Promise<PlacedPrimary> {
  const how = placementOf(t, store)!;
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const was = (await currentPrimary(t, store)) ?? null;
  const members = nodeList(t).filter((n) => t.stores[store]!.members.includes(n.name));
  if (was === wanted && !(await placedYet(t, store, wanted))) return { store, wanted, was, how: 'already', ms: ms() };
  if (was === null) throw new Error(`store ${store} has no single primary to move from: ${await placedYet(t, store, wanted)}`);
  if (was !== wanted) {
    if (how === 'patroni switchover') await patroniSwitchover(t, members, was, wanted);
    else await sentinelFailover(t, store, members, wanted);
  }
  let off: string | undefined;
  while ((off = await placedYet(t, store, wanted)) !== undefined) {
    if (ms() > timeoutMs) throw new Error(`${store}: ${wanted} is not the settled primary ${Math.round(timeoutMs / 1000)} s after the ${how}: ${off}`);
    await sleep(250);
  }
  return { store, wanted, was, how: was === wanted ? 'already' : how, ms: ms() };
}
