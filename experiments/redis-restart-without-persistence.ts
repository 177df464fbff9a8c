// The failure the Redis documentation warns about: a master with persistence off restarts before
// the Sentinels notice it was gone. It comes back as a master with an empty dataset, its replica
// resynchronises from it (a new replication id forces a full sync) and throws its own copy away:
// every acknowledged write is gone from both nodes, with no failover and no error anywhere.
//
// The variants make it happen every time instead of by a race: persistence off on every Redis
// node, and Sentinel's down-after-milliseconds raised to 5 s, longer than a restart takes here,
// so the Sentinels never see the master down. With persistence on (the default mesh), the same
// restart reloads the append-only file and nothing is lost.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'redis-restart-without-persistence',
  description: 'Restart the Redis master (SIGKILL, then start) with persistence off, faster than the Sentinels notice: it returns empty, the replica copies the empty dataset, and every acknowledged Redis write is lost (expected verdict: fail).',
  given: { primaries: { redis: 'redis-a' } },
  variant: ['redis-persistence-off', { name: 'sentinel-timing', params: { 'down-after-milliseconds': 5000 } }],
  steadyState: {
    probes: [
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, via: ['app-a'], direct: ['redis'], warmup: '5s', cooldown: '5s' },
  timeline: [
    { fault: { kind: 'restart', node: 'redis-a', graceS: 0 }, name: 'restart the master, empty' },
  ],
  slos: {
    maxLostAckedWrites: 0,
    maxFailovers: { redis: 0 },
  },
  documented: {
    verdict: 'fail',
    slos: { maxLostAckedWrites: 'fail', 'maxFailovers[redis]': 'pass' },
    reason: 'SLO maxLostAckedWrites fail',
    why: 'redis-a comes back empty within ~1 s and is still the master the Sentinels know (no failover: 5 s down-after); redis-b resynchronises from it and drops its copy. Measured: all 108 Redis writes acknowledged before the restart lost, from both nodes, with no failover and no error from either.',
  },
  maxDuration: '2m',
});
