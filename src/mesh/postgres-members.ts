// Postgres members under Patroni. /cluster gives each member's role and state; Patroni 3.0.x
// reports a streaming replica and a lagging or reconnecting one alike as "running", so a replica
// is counted only when the primary's own pg_stat_replication (its /patroni "replication" list)
// shows it streaming.
import type { Target, TargetNode } from '../config/target.ts';
import { getJson, hostPort } from './ask-node.ts';
import type { MemberView } from './member-view.ts';

export interface ClusterMember { name: string; role: string; state: string; lag?: number | string }
export interface Replication { application_name: string; state: string; sync_state?: string }

const isLeader = (role: string) => role === 'leader' || role === 'master' || role === 'primary';

/** /cluster from the first member that answers. */
export async function patroniCluster(t: Target, nodes: TargetNode[]): Promise<ClusterMember[] | undefined> {
  for (const n of nodes) {
    try {
      return ((await getJson(`http://${t.host}:${hostPort(n, 'patroni')}/cluster`)) as { members: ClusterMember[] }).members;
    } catch {
      // That member is down; ask the next one.
    }
  }
  return undefined;
}

async function streamingFrom(t: Target, n: TargetNode | undefined): Promise<Map<string, Replication> | undefined> {
  if (!n) return undefined;
  try {
    const p = (await getJson(`http://${t.host}:${hostPort(n, 'patroni')}/patroni`)) as { replication?: Replication[] };
    return new Map((p.replication ?? []).map((r) => [r.application_name, r]));
  } catch {
    return undefined;
  }
}

export async function postgresMembers(t: Target, nodes: TargetNode[]): Promise<Map<string, MemberView>> {
  const cluster = await patroniCluster(t, nodes);
  const leaders = (cluster ?? []).filter((m) => isLeader(m.role)).map((m) => m.name);
  const replication = leaders.length === 1 ? await streamingFrom(t, nodes.find((n) => n.name === leaders[0])) : undefined;
  return postgresViews(nodes.map((n) => n.name), cluster, replication);
}

/** The members' views from /cluster and the primary's replication list (undefined: no answer). */
export function postgresViews(names: string[], cluster: ClusterMember[] | undefined, replication: Map<string, Replication> | undefined): Map<string, MemberView> {
  if (!cluster) return new Map(names.map((n) => [n, { role: 'down', detail: 'no Patroni answered' }]));
  const leaders = cluster.filter((m) => isLeader(m.role)).map((m) => m.name);
  const leader = leaders.length === 1 ? leaders[0]! : undefined;
  const view = (name: string): MemberView => {
    const m = cluster.find((x) => x.name === name);
    if (!m) return { role: 'down', detail: 'not in Patroni\'s cluster' };
    if (isLeader(m.role)) return { role: 'primary', detail: m.state === 'running' ? '' : `state ${m.state}` };
    if (m.state !== 'running' && m.state !== 'streaming') return { role: 'standby', detail: `state ${m.state}` };
    if (!leader) return { role: 'standby', detail: leaders.length ? `${leaders.length} leaders (${leaders.join(', ')})` : 'no primary to stream from' };
    if (!replication) return { role: 'standby', detail: `${leader} did not say who streams from it` };
    const r = replication.get(name);
    if (r?.state !== 'streaming') return { role: 'standby', detail: r ? `${r.state} from ${leader}` : `not streaming from ${leader}` };
    const lag = typeof m.lag === 'number' ? m.lag : undefined;
    return {
      role: 'replica', upstream: leader, ...(lag !== undefined ? { lagBytes: lag } : {}),
      detail: `streaming from ${leader}, lag ${lag ?? 'unknown'}${lag !== undefined ? ' B' : ''}${r.sync_state === 'sync' ? ', sync' : ''}`,
    };
  };
  return new Map(names.map((n) => [n, view(n)]));
}
