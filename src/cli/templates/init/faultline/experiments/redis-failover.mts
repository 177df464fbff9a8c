// A failover experiment (written by `faultline init`; edit it freely). It kills the Redis master
// with SIGKILL and keeps it down for 15 s while writes flow through the apps: the Sentinels must
// promote the replica, the apps must find it, and the checks then judge the recorded history
// against the SLOs below. (.mts: an ES module whatever the project's package.json says.)
//
//   npx faultline validate faultline/experiments   check it against its target; touches nothing
//   npx faultline up                                start the reference mesh
//   npx faultline run faultline/experiments         run it: verdict, then .faultline/runs/latest/
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'redis-failover',
  description: 'SIGKILL the Redis master for 15 s under load: a replica must take over within 10 s, with no split brain and no acknowledged write lost.',
  // 'reference' is the mesh faultline ships (`npx faultline up`). To test your own compose
  // project, give the path of its target file instead, relative to this file.
  target: 'reference',
  // What "healthy" means: checked before the first fault (no fault is injected otherwise) and
  // again after the heal, within `recoverWithin`.
  steadyState: {
    probes: [
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  // 20 writes a second through both apps, from 3 s before the fault to 5 s after the recovery.
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  // `node` is resolved when the fault is injected: whichever Redis node is master then.
  timeline: [
    { fault: { kind: 'kill', node: { primaryOf: 'redis' } }, for: '15s', name: 'kill the redis master' },
  ],
  // Judged from the journal after the run. Redis replicates asynchronously, so a write
  // acknowledged just before the kill can be lost: if maxLostAckedWrites fails, that is a finding.
  slos: {
    maxFailoverTime: { redis: '10s' },
    maxUnavailableTime: '10s',
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { redis: 1, postgres: 0 },
  },
  // Refuse to start if the timeline could take longer than this.
  maxDuration: '2m',
});
