// Kill the Redis master with SIGKILL and hold it down: Sentinel must promote the replica.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'redis-master-kill',
  description: 'SIGKILL the current Redis master and keep it down for 20 s: the Sentinels must promote the replica, and writes through both apps must come back.',
  steadyState: {
    probes: [
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  timeline: [
    { fault: { kind: 'kill', node: { primaryOf: 'redis' } }, for: '20s', name: 'kill the redis master' },
  ],
  maxDuration: '2m',
});
