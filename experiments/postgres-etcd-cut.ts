// Cut the Postgres primary off from etcd only: it still reaches its replica and serves its
// clients, but cannot renew the leader key. Patroni's rule is that a leader that cannot reach the
// DCS demotes itself (after retry_timeout), and the replica, which still reaches etcd, takes the
// key once it expires: the primary steps down before anyone else steps up, so there is a gap but
// never two primaries.
import { defineExperiment } from 'faultline';

const cut = (etcd: string) => ({ fault: { kind: 'blackhole', link: { from: 'pg-a', to: etcd } }, for: '40s', name: `cut pg-a from ${etcd}` } as const);

export default defineExperiment({
  name: 'postgres-etcd-cut',
  description: 'Blackhole the links from the Postgres primary (pg-a) to all three etcd members for 40 s, leaving its clients and its replica connected: Patroni must demote it and promote pg-b, with no split brain and nothing acknowledged lost.',
  given: { primaries: { postgres: 'pg-a' } },
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '90s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '10s' },
  timeline: [
    { concurrent: [cut('etcd-a'), cut('etcd-b'), cut('etcd-c')] },
  ],
  slos: {
    maxFailoverTime: { postgres: '40s' },
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 1, redis: 0 },
  },
  documented: {
    verdict: 'pass',
    slos: { 'maxFailoverTime[postgres]': 'pass', maxLostAckedWrites: 'pass', noSplitBrain: 'pass', 'maxFailovers[postgres]': 'pass' },
    why: 'Patroni on pg-a cannot renew the leader key, so it demotes itself (writes stop ~6 s into the cut, when its retries run out) before the key expires; pg-b, which still reaches etcd, takes the key at ttl and is promoted (measured: every client writing again 21.0 s after the cut, nothing lost, never two primaries).',
  },
  maxDuration: '3m',
});
