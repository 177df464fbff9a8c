// Kill the Redis master with SIGKILL and hold it down: Sentinel must promote the replica, and
// the apps must find the new master. Redis replicates asynchronously, so acknowledged writes can
// be lost in the switch: this experiment measures how many.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'redis-master-kill',
  description: 'SIGKILL the current Redis master and keep it down for 20 s: the Sentinels must promote the replica, and writes through both apps must come back.',
  steadyState: {
    probes: [
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  timeline: [
    { fault: { kind: 'kill', node: { primaryOf: 'redis' } }, for: '20s', name: 'kill the redis master' },
  ],
  slos: {
    maxFailoverTime: { redis: '10s' },
    maxUnavailableTime: '10s',
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { redis: 1, postgres: 0 },
  },
  documented: {
    verdict: 'pass',
    slos: { 'maxFailoverTime[redis]': 'pass', maxUnavailableTime: 'pass', maxLostAckedWrites: 'pass', noSplitBrain: 'pass', 'maxFailovers[redis]': 'pass' },
    why: 'Sentinel sees the master down after down-after (1 s), agrees and promotes the replica (measured +2.3 s); the apps follow +switch-master and write again by +4.2 s; the restarted old master rejoins as a replica (it asks its peers first), so it never takes writes as a second master. No acknowledged write was lost (0 of 680): replication is asynchronous, so the last writes before a SIGKILL can be lost, but at 20 writes/s over one host\'s network the replica was current when the master died.',
  },
  maxDuration: '2m',
});
