// Kill the Postgres primary with SIGKILL: Patroni must promote the synchronous standby once the
// leader key expires, HAProxy must route writes to it, and no acknowledged write may be lost.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'postgres-primary-kill',
  description: 'SIGKILL the current Postgres primary and keep it down for 30 s: Patroni must promote the synchronous standby without losing an acknowledged write.',
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '90s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  timeline: [
    { fault: { kind: 'kill', node: { primaryOf: 'postgres' } }, for: '30s', name: 'kill the postgres primary' },
  ],
  slos: {
    // The leader key's ttl (20 s, Patroni 4's minimum) runs out first, then a loop and HAProxy's check.
    maxFailoverTime: { postgres: '30s' },
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 1, redis: 0 },
  },
  documented: {
    verdict: 'pass',
    slos: { 'maxFailoverTime[postgres]': 'pass', maxLostAckedWrites: 'pass', noSplitBrain: 'pass' },
    why: 'Patroni promotes the synchronous standby once the leader key expires (ttl), HAProxy routes writes to it by its /primary check, and synchronous replication means every acknowledged write is already on the standby.',
  },
  maxDuration: '3m',
});
