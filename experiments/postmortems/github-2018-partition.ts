// Postmortem: GitHub, 21 October 2018. A 43-second partition; the failover promotes the other
// side, and writes the old primary took are left unreplicated.
//
// Source: GitHub, "October 21 post-incident analysis", 2018-10-30
// (https://github.blog/news-insights/company-news/oct21-post-incident-analysis/).
//
// Known (from the post): at 22:52 UTC, maintenance on failing optical equipment cut the US East
// Coast network hub off from the primary US East Coast data centre for 43 seconds; in that time
// Orchestrator (their MySQL failover, Raft-based) promoted primaries in the US West Coast data
// centre; the East Coast primaries had taken writes that were not replicated to the West, and the
// applications could not work across the continent, so GitHub restored from backups and replayed:
// 24 hours and 11 minutes of degraded service. MySQL replication there was asynchronous.
// Assumed (the mapping onto this mesh): zone a (the Postgres primary's) is the East Coast data
// centre, zone b the West Coast; the cut separates zone a from the other zones and from the
// clients for the same 43 s; Redis is placed out of the cut (its asynchronous replication loses
// writes of its own in a zone cut: redis-master-partition.ts).
// On this mesh Patroni replaces Orchestrator and replication is synchronous: a write is
// acknowledged only once the standby has it, so the standby that is promoted has everything.
// github-2018-partition-async.ts runs it with GitHub's asynchronous replication.
// What it finds (pass): the failover happens inside the 43 s (pg-b promoted at +26.6 s), with no
// acknowledged write lost and never two writable primaries.
import { defineExperiment, type ExperimentInput } from 'faultline';

/** The 43-second cut of the primary's zone, on the mesh as it is or with `variant`. */
export const partition43s = (name: string, description: string, variant: ExperimentInput['variant'], documented: ExperimentInput['documented']) => defineExperiment({
  name,
  description,
  given: { primaries: { postgres: 'pg-a', redis: 'redis-b' } },
  variant,
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '120s',
  },
  workload: { rate: 20, warmup: '5s', cooldown: '15s' },
  timeline: [
    { fault: { kind: 'zones', from: ['a'] }, for: '43s', name: 'cut zone a off for 43 s' },
  ],
  slos: {
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 1 },
  },
  documented,
  maxDuration: '4m',
});

export default partition43s('github-2018-partition',
  'Cut the Postgres primary\'s zone off for 43 s (GitHub, 2018-10-21): failover must happen without two writable primaries and without losing acknowledged writes.',
  [],
  {
    verdict: 'pass',
    slos: { maxLostAckedWrites: 'pass', noSplitBrain: 'pass', 'maxFailovers[postgres]': 'pass' },
    why: 'pg-a loses etcd\'s majority and demotes itself; pg-b, the synchronous standby, has every acknowledged write and is promoted when the leader key expires, inside the 43 s (measured: promoted at +26.6 s, writes stopped 1.6 s to 26.3 s into the cut, 0 of 1,032 acknowledged writes lost, one primary change). Unlike GitHub, there is nothing to reconcile afterwards.',
  });
