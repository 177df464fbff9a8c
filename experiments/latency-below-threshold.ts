// Slow the links the failure detectors watch, but stay below their thresholds: 200 ms each way on
// every link into the Redis master (Sentinel's down-after is 1000 ms; a PING round trip becomes
// ~400 ms) and into the Postgres primary's etcd client links (the leader key's ttl is 20 s).
// A detector that fails over here is trigger-happy: the system would turn a slow network into an
// outage. Writes get slower; nothing may fail over.
import { defineExperiment } from 'faultline';

const slow = (from: string, to: string) => ({ fault: { kind: 'latency', link: { from, to }, latencyMs: 200, stream: 'both' }, for: '30s', name: `slow ${from} -> ${to}` } as const);

export default defineExperiment({
  name: 'latency-below-threshold',
  description: 'Add 200 ms each way to the Sentinels\' and apps\' links to the Redis master and to the Postgres primary\'s links to etcd for 30 s, below every failure detector\'s threshold: no failover may happen and nothing may be lost.',
  given: { primaries: { postgres: 'pg-a', redis: 'redis-a' } },
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  timeline: [
    { concurrent: [
      ...['sentinel-a', 'sentinel-b', 'sentinel-c', 'app-a', 'app-b'].map((s) => slow(s, 'redis-a')),
      ...['etcd-a', 'etcd-b', 'etcd-c'].map((e) => slow('pg-a', e)),
    ] },
  ],
  slos: {
    maxFailovers: { redis: 0, postgres: 0 },
    noSplitBrain: true,
    maxLostAckedWrites: 0,
  },
  documented: {
    verdict: 'pass',
    slos: { 'maxFailovers[redis]': 'pass', 'maxFailovers[postgres]': 'pass', noSplitBrain: 'pass', maxLostAckedWrites: 'pass' },
    why: 'A 400 ms round trip is under Sentinel\'s 1000 ms down-after, and Patroni renews the leader key with seconds to spare inside its 20 s ttl: writes are slower, nothing fails over. The margin is not wide: in one run at load ~40 a single Sentinel flagged +sdown 22 s in (one voice of three, no failover).',
  },
  maxDuration: '2m',
});
