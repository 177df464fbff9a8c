// Plain Postgres streaming replication, no manager: each server answers pg_is_in_recovery(); a
// standby's pg_stat_wal_receiver says whom it streams from, and the primary's pg_stat_replication
// confirms it. A replica counts when it streams from the one server not in recovery and that
// server lists it. Both views show their details only to roles with pg_read_all_stats (e.g.
// pg_monitor): without, a standby is not counted, and says why.
import type { StoreCredentials, Target, TargetNode } from '../config/target.ts';
import { hostPort, memberAt, pgSession } from './ask-node.ts';
import type { MemberView } from './member-view.ts';

export interface WalReceiver { status: string | null; sender_host: string | null; sender_port: number | null }
export interface WalSender { application_name: string; state: string | null; sync_state: string | null; lag: number | null }
/** One server's answers (undefined: it did not answer). */
export interface StreamingAnswer { inRecovery: boolean; receiver?: WalReceiver | null; senders?: WalSender[] }

const RECEIVER = 'SELECT status, sender_host, sender_port FROM pg_stat_wal_receiver';
const SENDERS = 'SELECT application_name, state, sync_state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS lag FROM pg_stat_replication';

export async function askStreaming(t: Target, n: TargetNode, creds: StoreCredentials): Promise<StreamingAnswer | undefined> {
  return pgSession(t.host, hostPort(n, 'postgres'), creds, async (q) => {
    const inRecovery = (await q('SELECT pg_is_in_recovery() AS r'))[0]!.r === true;
    if (inRecovery) return { inRecovery, receiver: ((await q(RECEIVER))[0] as WalReceiver | undefined) ?? null };
    return { inRecovery, senders: (await q(SENDERS)) as unknown as WalSender[] };
  }).catch(() => undefined);
}

export async function streamingMembers(t: Target, nodes: TargetNode[], creds: StoreCredentials): Promise<Map<string, MemberView>> {
  const answers = new Map(await Promise.all(nodes.map(async (n) => [n.name, await askStreaming(t, n, creds)] as const)));
  return streamingViews(nodes, answers, creds.user);
}

/** The members' views from their answers. */
export function streamingViews(nodes: Pick<TargetNode, 'name' | 'service' | 'ports'>[], answers: Map<string, StreamingAnswer | undefined>, user = 'the login'): Map<string, MemberView> {
  const primaries = nodes.filter((n) => answers.get(n.name)?.inRecovery === false).map((n) => n.name);
  const primary = primaries.length === 1 ? primaries[0]! : undefined;
  const senders = primary ? answers.get(primary)!.senders ?? [] : [];
  const names = new Set(nodes.map((n) => n.name));
  const view = (name: string): MemberView => {
    const a = answers.get(name);
    if (!a) return { role: 'down', detail: 'no answer to pg_is_in_recovery()' };
    if (!a.inRecovery) return { role: 'primary', detail: '' };
    if (!primary) return { role: 'standby', detail: primaries.length ? `${primaries.length} primaries (${primaries.join(', ')})` : 'no primary to stream from' };
    const r = a.receiver;
    if (!r) return { role: 'standby', detail: 'in recovery, no WAL receiver' };
    if (r.status === null) return { role: 'standby', detail: `${user} cannot see its WAL receiver (grant it pg_monitor)` };
    const upstream = r.sender_host === null || r.sender_port === null ? undefined : memberAt(nodes, 'postgres', r.sender_host, Number(r.sender_port));
    if (upstream !== primary) return { role: 'standby', detail: `streams from ${r.sender_host ?? '?'}:${r.sender_port ?? '?'}, not the primary ${primary}` };
    if (r.status !== 'streaming') return { role: 'standby', detail: `WAL receiver ${r.status} from ${primary}` };
    // The primary's list confirms it, unless it names its standbys by names no member has (application_name unset).
    const listed = senders.find((s) => s.application_name === name);
    const unnamed = senders.filter((s) => !names.has(s.application_name));
    if (listed ? listed.state !== 'streaming' : !unnamed.some((s) => s.state === 'streaming')) {
      return { role: 'standby', detail: senders.some((s) => s.state === null) ? `${user} cannot see ${primary}'s pg_stat_replication (grant it pg_monitor)` : `${primary} does not list it streaming` };
    }
    const lag = listed?.lag ?? undefined;
    return {
      role: 'replica', upstream: primary, ...(lag !== undefined && lag !== null ? { lagBytes: Math.max(0, Math.round(lag)) } : {}),
      detail: `streaming from ${primary}, lag ${lag === undefined || lag === null ? 'unknown' : `${Math.max(0, Math.round(lag))} B`}${listed?.sync_state === 'sync' ? ', sync' : ''}`,
    };
  };
  return new Map(nodes.map((n) => [n.name, view(n.name)]));
}
