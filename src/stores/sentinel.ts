// Store kind `sentinel`: Redis under Sentinel. Each member answers ROLE for itself; the manager
// is the Sentinels (the store's `consensus` nodes, else every sentinel node): the master a
// majority of them name. A restarted old master says "master" until a Sentinel demotes it, so the
// members and the manager can disagree for seconds; the manager's answer is the one clients act on.
// The primary is moved by a Sentinel failover.
import { z } from 'zod';
import type { ErrorDetail } from '../core/errors.ts';
import type { Store, TargetFile, TargetNode } from '../config/target.ts';
import { hostPort, memberAt, redisCommand, redisCommands } from './ask-node.ts';
import { membersOfKind, membersPublish } from './member-ports.ts';
import { redisMembers } from './redis-members.ts';
import { defineStoreKind, type Capability, type ManagerView, type StoreCtx } from './types.ts';

const ALL: ReadonlySet<Capability> = new Set(['primary', 'replicas', 'upstreams', 'manager', 'place', 'observe']);
const Spec = z.object({ masterName: z.string().min(1) }).loose();
type SentinelSpec = z.infer<typeof Spec>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Sentinels that watch the store: its consensus nodes, else every sentinel node of the target. */
export function sentinelsOf(t: TargetFile, store: Store): string[] {
  const consensus = Array.isArray(store.consensus) ? (store.consensus as unknown[]).filter((n): n is string => typeof n === 'string') : undefined;
  return consensus?.length ? consensus : Object.entries(t.nodes).filter(([, n]) => n.kind === 'sentinel').map(([name]) => name);
}

function check(t: TargetFile, name: string, store: Store): ErrorDetail[] {
  const sentinels = sentinelsOf(t, store);
  const problems = membersPublish(t, name, store, 'redis', 'the sentinel kind sends ROLE to');
  if (!sentinels.length) problems.push({ path: `stores.${name}.consensus`, message: `store ${name} is of kind sentinel, and the target has no Sentinel to ask`, fix: 'list its Sentinel nodes in consensus, or declare kind "redis-replication"' });
  for (const s of sentinels) {
    const n = t.nodes[s];
    if (!n) problems.push({ path: `stores.${name}.consensus`, message: `node "${s}" is not declared`, fix: 'declare it under nodes' });
    else if (n.hostPorts.sentinel === undefined) problems.push({ path: `nodes.${s}.hostPorts.sentinel`, message: `${s}, a Sentinel of store ${name}, publishes no "sentinel" port`, fix: 'publish it on the host and add "sentinel" to its hostPorts' });
  }
  return problems;
}

/** SENTINEL MASTER's flat field list, as a map. */
const fields = (flat: unknown): Map<string, string> => {
  const a = Array.isArray(flat) ? flat.map(String) : [];
  return new Map(a.flatMap((_, i) => (i % 2 ? [] : [[a[i]!, a[i + 1] ?? ''] as const])));
};

/** The master a majority of the store's Sentinels name, each Sentinel's answer beside it, and whether any is failing a master over. */
async function manager(ctx: StoreCtx<SentinelSpec>): Promise<ManagerView> {
  const names = sentinelsOf(ctx.target, ctx.store);
  const changing: string[] = [], finishing: string[] = [];
  const voices = Object.fromEntries(await Promise.all(names.map(async (s) => {
    const n = ctx.target.nodes[s]!;
    // get-master-addr-by-name is what clients ask (it turns to the promoted replica part-way through
    // the leader's failover); SENTINEL MASTER's flags say whether this Sentinel thinks the master it
    // tracks is objectively down or is failing it over.
    const got = await redisCommands(ctx.target.host, n.hostPorts.sentinel!, [
      ['SENTINEL', 'get-master-addr-by-name', ctx.spec.masterName], ['SENTINEL', 'MASTER', ctx.spec.masterName],
    ]).catch(() => undefined);
    const a = got?.[0] instanceof Error ? undefined : got?.[0] as [string, string] | null | undefined;
    const said = a === undefined ? 'no answer' : a === null ? 'none' : memberAt(ctx.members, 'redis', a[0], Number(a[1])) ?? `${a[0]}:${a[1]}`;
    const m = fields(got?.[1]);
    const flags = (m.get('flags') ?? '').split(',').filter((f) => f === 'o_down' || f === 'failover_in_progress');
    const text = flags.join(', ').replace('failover_in_progress', 'failover in progress');
    // Handing out the master it flags: that name is about to change. Handing out another: the
    // leader, past the promotion, still reconfiguring the replicas.
    if (flags.length && a) (m.get('ip') === a[0] && m.get('port') === a[1] ? changing : finishing).push(`${s}: ${said} ${text}`);
    return [s, said] as const;
  })));
  const counts = new Map<string, number>();
  for (const v of Object.values(voices)) if (ctx.store.members.includes(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const [top, votes] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
  const majority = Math.floor(names.length / 2) + 1;
  const primary = top !== undefined && votes >= majority ? top : null;
  const dissent = Object.entries(voices).filter(([, v]) => v !== 'no answer' && v !== primary).map(([s, v]) => `${s} names ${v}`);
  const unsettled = [...finishing.map((f) => `${f}, reconfiguring replicas`), ...dissent];
  return {
    primary, by: `${votes} of ${names.length} Sentinels`, voices,
    ...(changing.length ? { changing: changing.join('; ') } : {}), ...(unsettled.length ? { unsettled: unsettled.join('; ') } : {}),
  };
}

/** Sentinel picks the replica it promotes itself: the others are kept out by priority 0 for the failover, and get theirs back after it. */
async function failover(ctx: StoreCtx<SentinelSpec>, from: string, wanted: string): Promise<void> {
  const { target: t } = ctx;
  // Asked first: a Sentinel that hands out the master being left. One with a stale view would "fail
  // over" the master it remembers, and may promote the master there already.
  const { voices = {} } = await manager(ctx);
  const asked = [...sentinelsOf(t, ctx.store)].sort((x, y) => Number(voices[y] === from) - Number(voices[x] === from));
  const others = ctx.members.filter((n) => n.name !== wanted);
  const priorities = new Map<TargetNode, string>();
  for (const n of others) {
    const p = (await redisCommand(t.host, hostPort(n, 'redis'), ['CONFIG', 'GET', 'replica-priority']).catch(() => null)) as string[] | null;
    if (p?.[1] !== undefined) {
      priorities.set(n, p[1]);
      await redisCommand(t.host, hostPort(n, 'redis'), ['CONFIG', 'SET', 'replica-priority', '0']);
    }
  }
  try {
    let last: unknown;
    for (const s of asked) {
      try {
        await redisCommand(t.host, hostPort(t.nodes[s] as TargetNode, 'sentinel'), ['SENTINEL', 'FAILOVER', ctx.spec.masterName]);
        last = undefined;
        break;
      } catch (e) {
        last = e; // e.g. this Sentinel is down: ask the next one
      }
    }
    if (last) throw new Error(`no Sentinel started a failover of ${ctx.spec.masterName}: ${(last as Error).message}`);
    // The others' priorities stay at 0 until the wanted one says it is master.
    const deadline = Date.now() + 30_000;
    while ((await redisMembers(t, ctx.members)).get(wanted)?.role !== 'primary' && Date.now() < deadline) await sleep(200);
  } finally {
    for (const [node, p] of priorities) {
      await redisCommand(t.host, hostPort(node, 'redis'), ['CONFIG', 'SET', 'replica-priority', p]).catch(() => undefined);
    }
  }
}

export default defineStoreKind({
  kind: 'sentinel',
  title: 'Redis under Sentinel',
  schema: Spec,
  offers: { primary: '', replicas: '', upstreams: '', manager: '', place: '', observe: '' },
  capabilities: () => ALL,
  check,
  infer: (t, store) => membersOfKind(t, store, 'redis') && typeof store.masterName === 'string' && Object.values(t.nodes).some((n) => n.kind === 'sentinel'),
  members: (ctx) => redisMembers(ctx.target, ctx.members),
  manager,
  placement: { how: 'sentinel failover', move: (ctx, from, to) => failover(ctx, from, to) },
  sources: () => [['redis-role', 'redis']],
  roleSource: () => 'redis-role',
});
