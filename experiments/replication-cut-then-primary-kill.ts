// Cut the replication stream, let the primary go on, then kill it. What happens next is the
// replication mode's promise (measured on the default mesh, Patroni 4.1.5):
//  - synchronous (the default, Patroni synchronous_mode): Patroni keeps the cut-off standby as the
//    synchronous one (it still reaches etcd and reports itself healthy), so from the cut on every
//    commit waits for it: writes stop at the cut, not at the kill, and none is acknowledged that
//    the standby lacks. After the kill the standby, which has every acknowledged write, is
//    promoted once the leader key expires. Nothing lost; writes stopped for ~30 s.
//  - asynchronous (variant async-replication, replication-cut-then-primary-kill-async.ts): the
//    primary goes on alone through the cut; the standby is promoted when the leader key expires
//    without what the primary took after the cut, and those writes are lost (measured: 194 of
//    1,102 acknowledged writes, all acknowledged by pg-a in the 9.5 s before the kill).
import { defineExperiment, type ExperimentInput } from 'faultline';

/** Both replication modes run the same timeline; replication-cut-then-primary-kill-async.ts is the other one. */
export const replicationCutThenKill = (name: string, variant: ExperimentInput['variant'], description: string, documented: ExperimentInput['documented'],
  at = { cutFor: '60s', killAt: '10s', killFor: '35s' }) => defineExperiment({
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
      { fault: { kind: 'blackhole', link: { from: 'pg-b', to: 'pg-a', port: 'postgres' } }, for: at.cutFor, name: 'cut the replication stream' },
      { fault: { kind: 'kill', node: 'pg-a' }, at: at.killAt, for: at.killFor, name: 'kill the primary' },
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
  {
    verdict: 'pass',
    slos: { maxLostAckedWrites: 'pass', noSplitBrain: 'pass' },
    why: 'Synchronous replication keeps its promise by refusing to commit: Patroni keeps the cut-off standby as the synchronous one, so commits wait from the cut on and nothing is acknowledged that pg-b lacks; after the kill pg-b is promoted (measured: +20.4 s after the kill, writes stopped 30.5 s in all, 0 of 1,041 acknowledged writes lost).',
  });
