// Redis members. ROLE on a replica: ["slave", host, port, state, offset], state "connected"
// meaning it streams; ROLE on a master lists the replicas it streams to with their acked
// offsets. A replica counts when it says it is connected, to the one current master, and that
// master lists it.
import type { Target, TargetNode } from '../config/target.ts';
import { hostPort, memberAt, redisCommand } from './ask-node.ts';
import type { MemberView } from './member-view.ts';

export type RoleReply = ['master', number, [string, string, string][]] | ['slave', string, number, string, number] | [string, ...unknown[]];

export async function redisMembers(t: Target, nodes: TargetNode[]): Promise<Map<string, MemberView>> {
  const replies = new Map(await Promise.all(nodes.map(async (n) =>
    [n.name, (await redisCommand(t.host, hostPort(n, 'redis'), ['ROLE']).catch(() => undefined)) as RoleReply | undefined] as const)));
  return redisViews(nodes, replies);
}

/** The members' views from their ROLE replies (undefined: no answer). */
export function redisViews(nodes: Pick<TargetNode, 'name' | 'service' | 'ports'>[], replies: Map<string, RoleReply | undefined>): Map<string, MemberView> {
  // Discovery hands out mesh addresses; a master lists replicas by the address they connected from.
  const byAddress = (host: string, port: number): string | undefined => memberAt(nodes, 'redis', host, port);
  const masters = [...replies].filter(([, r]) => r?.[0] === 'master').map(([m]) => m);
  const master = masters.length === 1 ? masters[0]! : undefined;
  const masterReply = master ? replies.get(master) as ['master', number, [string, string, string][]] : undefined;
  const view = (n: (typeof nodes)[number]): MemberView => {
    const r = replies.get(n.name);
    if (!r) return { role: 'down', detail: 'no answer to ROLE' };
    if (r[0] === 'master') return { role: 'primary', detail: '' };
    if (r[0] !== 'slave') return { role: String(r[0]), detail: '' };
    const [, host, port, state, offset] = r as ['slave', string, number, string, number];
    const upstream = byAddress(host, Number(port));
    if (!master) return { role: 'standby', detail: masters.length ? `${masters.length} masters (${masters.join(', ')})` : 'no master to stream from' };
    if (upstream !== master) return { role: 'standby', detail: `replicates ${host}:${port}, not the master ${master}` };
    if (state !== 'connected') return { role: 'standby', detail: `link to ${master}: ${state}` };
    // The master's list confirms it, unless the master names its replicas by addresses no member has.
    const listed = masterReply![2].find(([h, p]) => byAddress(h, Number(p)) === n.name);
    const unmapped = masterReply![2].some(([h, p]) => byAddress(h, Number(p)) === undefined);
    if (!listed && !unmapped) return { role: 'standby', detail: `${master} does not list it as a connected replica` };
    const lag = Math.max(0, Number(masterReply![1]) - Number(listed?.[2] ?? offset));
    return { role: 'replica', upstream: master, lagBytes: lag, detail: `streaming from ${master}, lag ${lag} B` };
  };
  return new Map(nodes.map((n) => [n.name, view(n)]));
}
