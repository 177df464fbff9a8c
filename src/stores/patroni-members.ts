// Postgres members under Patroni. Each member answers for itself on GET /patroni (its Postgres's
// role and state); the primary's answer lists who streams from it (its pg_stat_replication).
// Patroni 3.0.x reports a streaming replica and a lagging or reconnecting one alike as "running",
// so a replica is counted only when the primary lists it streaming. /cluster is the manager's
// view: the leader key in the DCS, as whichever member answers reads it (and each member's lag).
import type { Target, TargetNode } from '../config/target.ts';
import { getJson, hostPort } from './ask-node.ts';
import type { MemberView } from './member-view.ts';
import type { ManagerView } from './types.ts';

export interface ClusterMember { name: string; role: string; state: string; lag?: number | string }
export interface Replication { application_name: string; state: string; sync_state?: string }
/** GET /patroni: the member's own account. */
export interface PatroniSelf { role?: string; state?: string; replication?: Replication[] }

const isLeader = (role: string | undefined) => role === 'leader' || role === 'master' || role === 'primary';

/** /cluster from the first member that answers, and which one did. */
export async function patroniCluster(t: Target, nodes: TargetNode[]): Promise<{ members: ClusterMember[]; via: string } | undefined> {
  for (const n of nodes) {
    try {
      return { members: ((await getJson(`http://${t.host}:${hostPort(n, 'patroni')}/cluster`)) as { members: ClusterMember[] }).members, via: n.name };
    } catch {
      // That member is down; ask the next one.
    }
  }
  return undefined;
}

/** Each member's own GET /patroni (undefined: it did not answer). */
export async function patroniSelves(t: Target, nodes: TargetNode[]): Promise<Map<string, PatroniSelf | undefined>> {
  return new Map(await Promise.all(nodes.map(async (n) =>
    [n.name, (await getJson(`http://${t.host}:${hostPort(n, 'patroni')}/patroni`).catch(() => undefined)) as PatroniSelf | undefined] as const)));
}

/** The leader Patroni's DCS names, from /cluster. */
export function patroniManager(cluster: { members: ClusterMember[]; via: string } | undefined): ManagerView {
  if (!cluster) return { primary: null, by: 'Patroni (no member answered /cluster)' };
  const leaders = cluster.members.filter((m) => isLeader(m.role)).map((m) => m.name);
  const by = `Patroni's leader key (/cluster on ${cluster.via})`;
  return { primary: leaders.length === 1 ? leaders[0]! : null, by, voices: Object.fromEntries(cluster.members.map((m) => [m.name, `${m.role} ${m.state}`])) };
}

/** The members' views from their own answers, with each replica's lag from /cluster when it answered. */
export function patroniViews(names: string[], selves: Map<string, PatroniSelf | undefined>, cluster?: ClusterMember[]): Map<string, MemberView> {
  const primaries = names.filter((n) => isLeader(selves.get(n)?.role));
  const leader = primaries.length === 1 ? primaries[0]! : undefined;
  const replication = leader ? new Map((selves.get(leader)!.replication ?? []).map((r) => [r.application_name, r])) : undefined;
  const view = (name: string): MemberView => {
    const m = selves.get(name);
    if (!m) return { role: 'down', detail: 'Patroni did not answer' };
    if (isLeader(m.role)) return { role: 'primary', detail: m.state === 'running' ? '' : `state ${m.state ?? 'unknown'}` };
    if (m.state !== 'running' && m.state !== 'streaming') return { role: 'standby', detail: `state ${m.state ?? 'unknown'}` };
    if (!leader) return { role: 'standby', detail: primaries.length ? `${primaries.length} primaries (${primaries.join(', ')})` : 'no primary to stream from' };
    const r = replication!.get(name);
    if (r?.state !== 'streaming') return { role: 'standby', detail: r ? `${r.state} from ${leader}` : `not streaming from ${leader}` };
    const lagOf = cluster?.find((x) => x.name === name)?.lag;
    const lag = typeof lagOf === 'number' ? lagOf : undefined;
    return {
      role: 'replica', upstream: leader, ...(lag !== undefined ? { lagBytes: lag } : {}),
      detail: `streaming from ${leader}, lag ${lag ?? 'unknown'}${lag !== undefined ? ' B' : ''}${r.sync_state === 'sync' ? ', sync' : ''}`,
    };
  };
  return new Map(names.map((n) => [n, view(n)]));
}
