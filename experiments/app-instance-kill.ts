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
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' } },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '3s', cooldown: '5s' },
  timeline: [
    { fault: { kind: 'kill', node: 'app-a' }, for: '20s', name: 'kill app-a' },
  ],
  slos: {
    // System-wide: time in which no client's write succeeded. app-b answers every write meanwhile.
    maxUnavailableTime: '1s',
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 0, redis: 0 },
  },
  documented: {
    verdict: 'pass',
    slos: { maxUnavailableTime: 'pass', maxLostAckedWrites: 'pass', noSplitBrain: 'pass', 'maxFailovers[postgres]': 'pass', 'maxFailovers[redis]': 'pass' },
    why: 'The two app instances share nothing but the stores: while app-a is down every write through app-b succeeds, so no moment passes without a successful write (app-a\'s own clients see it down for the whole 20 s, reported per client). Writes in flight to app-a when it died are indeterminate, not lost.',
  },
  maxDuration: '2m',
});
