// Cut the zone holding the Postgres primary off from every other zone (and the clients) for 30 s.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'primary-zone-partition',
  description: 'Partition the zone holding the Postgres primary from every other zone for 30 s: Patroni must fail over to zone b once the leader key expires, and the old primary must stop taking writes.',
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '90s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '10s' },
  timeline: [
    { fault: { kind: 'zones', from: { zoneOf: { primaryOf: 'postgres' } } }, for: '30s', name: 'cut the primary zone off' },
  ],
  slos: {
    maxLostAckedWrites: 0,
    noSplitBrain: true,
  },
  maxDuration: '3m',
});
