// SIGKILL one app instance: the other instance keeps serving, so the system as a whole stays
// available; only the killed instance's own clients see it down. Neither store may fail over.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'app-instance-kill',
  description: 'SIGKILL app-a and keep it down for 20 s while clients write through both apps: app-b keeps taking writes, no store fails over, nothing acknowledged is lost.',
  given: { primaries: { postgres: 'pg-a', redis: 'redis-a' } },
  steadyState: {
    probes: [
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  timeline: [
    { fault: { kind: 'kill', node: 'app-a' }, for: '20s', name: 'kill app-a' },
  ],
  slos: {
    // System-wide: time in which no client's write succeeded. app-b answers the writes meanwhile;
    // on 2 shared cores at load ~30 one 1.4 s stall of app-b was measured with nothing faulted on
    // its path, so the limit leaves room for one such stall, not for an outage.
    maxUnavailableTime: '3s',
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 0, redis: 0 },
  },
  documented: {
    verdict: 'pass',
    slos: { maxUnavailableTime: 'pass', maxLostAckedWrites: 'pass', noSplitBrain: 'pass', 'maxFailovers[postgres]': 'pass', 'maxFailovers[redis]': 'pass' },
    why: 'The two app instances share nothing but the stores: while app-a is down the writes through app-b succeed, so the system as a whole stays available (app-a\'s own clients see it down for the whole 20 s, reported per client), no store fails over, and the writes in flight to app-a when it died are indeterminate, not lost. Before Toxiproxy\'s dials were bounded (services/README.md), app-a was reached through its link ~31 s after it was back, and this run failed maxErrorRateAfter for the proxy\'s sake.',
  },
  maxDuration: '2m',
});
