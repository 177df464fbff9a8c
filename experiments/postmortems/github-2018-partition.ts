// After GitHub's 2018-10-21 incident: a 43-second loss of connectivity between the primary's data
// centre and the rest led the failover tooling to promote a replica elsewhere, and writes taken by
// the old primary in those seconds were not on the new one. Here: the zone holding the Postgres
// primary is cut off from every other zone (and the clients) for 43 s. Patroni's leader key
// expires, the other zone promotes, and the old primary must stop taking writes before that;
// the judgement says how long two primaries overlapped and whether acknowledged writes were lost.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'github-2018-partition',
  description: 'Cut the Postgres primary\'s zone off for 43 s (GitHub, 2018-10-21): failover must happen without two writable primaries and without losing acknowledged writes.',
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '120s',
  },
  workload: { rate: 20, warmup: '5s', cooldown: '15s' },
  timeline: [
    { fault: { kind: 'zones', from: { zoneOf: { primaryOf: 'postgres' } } }, for: '43s', name: 'cut the primary zone off for 43 s' },
  ],
  slos: {
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 1 },
  },
  maxDuration: '4m',
});
