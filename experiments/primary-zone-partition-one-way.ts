// Cut only what flows out of the primaries' zone: zone a's packets to the other zones (and to the
// clients) vanish, while the other zones' packets still reach zone a. An asymmetric partition: pg-a
// still hears etcd-b and etcd-c's requests but its answers never arrive, so the system sees a
// silent node whose own view of the cluster is still healthy.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'primary-zone-partition-one-way',
  description: 'Drop everything zone a (both primaries) sends to the other zones and the clients for 30 s, while their traffic into zone a still arrives: the stores must fail over to zone b without losing an acknowledged write or keeping two primaries.',
  given: { primaries: { postgres: 'pg-a', redis: 'redis-b' } },
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '90s',
  },
  workload: { rate: 20, via: ['app-b'], warmup: '3s', cooldown: '10s' },
  timeline: [
    { fault: { kind: 'zones', from: ['a'], oneWay: true }, for: '30s', name: 'drop what zone a sends' },
  ],
  slos: {
    maxLostAckedWrites: 0,
    noSplitBrain: true,
  },
  documented: {
    verdict: 'pass',
    slos: { maxLostAckedWrites: 'pass', noSplitBrain: 'pass' },
    why: 'One way is enough to fail over: pg-a can no longer renew its leader key in etcd-b and etcd-c (their answers arrive, its requests do not), so it demotes itself and pg-b is promoted when the key expires (measured: writes through app-b stopped 0.3 s into the cut and came back at +21.3 s, nothing lost, never two primaries). The Redis master in zone b is untouched (only sentinel-a, which no longer reaches it, flags it down).',
  },
  maxDuration: '3m',
});
