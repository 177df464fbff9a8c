// Cut one Sentinel off from everything: it loses sight of the master at once, but one voice is
// not a quorum (quorum 2 of 3), so it can neither declare the master objectively down nor be
// elected to fail it over. The two Sentinels that still see the master agree it is fine.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'sentinel-minority-partition',
  description: 'Isolate sentinel-a (a minority of the three Sentinels) for 30 s: it sees the master down, but without a quorum no failover happens, nothing is lost and there is never a second master.',
  given: { primaries: { redis: 'redis-a' } },
  steadyState: {
    probes: [
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  timeline: [
    { fault: { kind: 'majority_minority', group: { kind: 'sentinel' }, minority: ['sentinel-a'] }, for: '30s', name: 'cut sentinel-a off' },
  ],
  slos: {
    maxFailovers: { redis: 0, postgres: 0 },
    noSplitBrain: true,
    maxLostAckedWrites: 0,
    maxUnavailableTime: '2s',
  },
  documented: {
    verdict: 'pass',
    slos: { 'maxFailovers[redis]': 'pass', noSplitBrain: 'pass', maxLostAckedWrites: 'pass', maxUnavailableTime: 'pass' },
    why: 'sentinel-a sees the master down within ~2 s (+sdown), but Sentinel needs a quorum of 2 to call it objectively down and a majority to elect a leader for the failover: alone it can do neither, and the two others still see the master. Measured: +sdown from sentinel-a at +1.9 s, no failover, no write failed.',
  },
  maxDuration: '2m',
});
