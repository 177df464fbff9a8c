// Sources "dcs-leader" and "patroni" from etcd, Patroni's DCS: one watch of the cluster's keys
// (`<namespace><scope>/`) on each etcd member's published port.
// - dcs-leader, per etcd member asked: the member name in the leader key, "none" once it is
//   deleted or its lease expired, "down" while that etcd member does not answer.
// - patroni, per Postgres member: the state and role each Patroni writes to its own member key
//   (the same fields GET /patroni answers with) whenever they change. Patroni writes them each loop
//   anyway, so watching costs Patroni nothing, where polling GET /patroni at 20 Hz cost it a
//   connection and a SQL query per poll. Every etcd member carries the same keys: the newest
//   revision wins, so one etcd member down loses nothing. A key gone (no heartbeat for a ttl) is
//   "down"; so is every member while no etcd member answers.
import { EtcdWatch, type KeyValue } from './etcd-watch.ts';
import type { Reading } from './poller.ts';
import { DOWN, dcsLeaderValue, patroniMemberValue } from './values.ts';

export interface DcsWatchOptions { checkMs: number; timeoutMs: number }

export interface DcsWatch {
  ready: Promise<void>;
  close(): Promise<void>;
  /** Per etcd member: whether it answers, and how many changes its stream delivered. */
  stats(): Record<string, { connected: boolean; events: number; streams: number }>;
}

export function watchPatroniDcs(
  host: string,
  etcd: { node: string; port: number }[],
  keys: { namespace: string; scope: string; members: readonly string[] },
  emit: { leader(etcdNode: string, value: string): void; member(node: string, r: Reading): void },
  opts: DcsWatchOptions,
): DcsWatch {
  const base = `${keys.namespace}${keys.scope}/`;
  const leaderKey = `${base}leader`;
  const memberOf = (key: string): string | undefined => {
    const name = key.startsWith(`${base}members/`) ? key.slice(`${base}members/`.length) : undefined;
    return name !== undefined && keys.members.includes(name) ? name : undefined;
  };
  // The revision of the member key value last emitted, so an older copy from a lagging etcd member never wins.
  const seen = new Map<string, number>();
  const applyMember = (node: string, value: string | null, revision: number): void => {
    if (revision <= (seen.get(node) ?? -1)) return;
    seen.set(node, revision);
    emit.member(node, patroniMemberValue(value));
  };

  const leaderSeen = new Map<string, number>();
  const applyLeader = (etcdNode: string, value: string | null, revision: number): void => {
    if (revision <= (leaderSeen.get(etcdNode) ?? -1)) return;
    leaderSeen.set(etcdNode, revision);
    emit.leader(etcdNode, dcsLeaderValue(value));
  };

  const watches: { node: string; w: EtcdWatch }[] = [];
  const allLost = (): boolean => watches.every((x) => x.w.settled && !x.w.connected);
  for (const e of etcd) {
    const w = new EtcdWatch(host, e.port, base, {
      snapshot(revision, kvs) {
        const byKey = new Map(kvs.map((kv) => [kv.key, kv] as const));
        const leader = byKey.get(leaderKey);
        applyLeader(e.node, leader?.value ?? null, leader?.revision ?? revision);
        for (const m of keys.members) {
          const kv = byKey.get(`${base}members/${m}`);
          applyMember(m, kv?.value ?? null, kv?.revision ?? revision);
        }
      },
      change(kv: KeyValue) {
        if (kv.key === leaderKey) applyLeader(e.node, kv.value, kv.revision);
        const m = memberOf(kv.key);
        if (m) applyMember(m, kv.value, kv.revision);
      },
      lost() {
        leaderSeen.delete(e.node); // the next answer is news, whatever its revision
        emit.leader(e.node, DOWN);
        if (!allLost()) return;
        // Nobody to hear a member from: "down", and the next answer wins whatever its revision.
        seen.clear();
        for (const m of keys.members) emit.member(m, { value: DOWN });
      },
    }, opts);
    watches.push({ node: e.node, w });
  }
  return {
    ready: Promise.all(watches.map((x) => x.w.ready)).then(() => undefined),
    close: async () => void (await Promise.all(watches.map((x) => x.w.close()))),
    stats: () => Object.fromEntries(watches.map((x) => [x.node, { connected: x.w.connected, events: x.w.events, streams: x.w.streams }])),
  };
}
