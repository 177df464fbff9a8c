// Cut the replication stream, let the primary go on alone, then kill it. What happens next is
// the replication mode's promise:
//  - synchronous (the mesh's default, Patroni synchronous_mode): once the standby drops out,
//    Patroni takes it out of the synchronous set, so the primary keeps committing alone; the
//    standby is then no longer a failover candidate, and killing the primary leaves no one to
//    promote until it returns. Writes stop; none is lost.
//  - asynchronous (variant async-replication): the standby is promoted when the leader key
//    expires, without the writes the primary took after the cut: those are lost, and counted.
import { defineExperiment, type ExperimentInput } from 'faultline';

/** Both replication modes run the same timeline; replication-cut-then-primary-kill-async.ts is the other one. */
export const replicationCutThenKill = (name: string, variant: ExperimentInput['variant'], description: string, documented: ExperimentInput['documented']) => defineExperiment({
  name,
  description,
  given: { primaries: { postgres: 'pg-a' } },
  variant,
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
    ],
    recoverWithin: '120s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '10s' },
  timeline: [
    { concurrent: [
      { fault: { kind: 'blackhole', link: { from: 'pg-b', to: 'pg-a', port: 'postgres' } }, for: '60s', name: 'cut the replication stream' },
      { fault: { kind: 'kill', node: 'pg-a' }, at: '10s', for: '35s', name: 'kill the primary' },
    ] },
  ],
  slos: {
    maxLostAckedWrites: 0,
    noSplitBrain: true,
  },
  documented,
  maxDuration: '4m',
});

export default replicationCutThenKill('replication-cut-then-primary-kill', [],
  'Cut pg-b off from pg-a\'s replication stream, then SIGKILL pg-a 10 s later for 35 s (synchronous replication): nothing acknowledged may be lost.',
  undefined);
