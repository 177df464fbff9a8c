// Cut zone a (where the primaries usually live) off from zone b and the witness for 30 s.
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'zone-a-partition',
  description: 'Partition the zone holding the Postgres primary from every other zone for 30 s: Patroni must fail over to zone b once the leader key expires, and the old primary must stop taking writes.',
  steadyState: {
    probes: [
      { name: 'postgres has one primary', role: { store: 'postgres' }, phases: ['before', 'after'] },
      { name: 'redis has one master', role: { store: 'redis' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '90s',
  },
  timeline: [
    {
      concurrent: [
        { fault: { kind: 'zones', from: { zoneOf: { primaryOf: 'postgres' } }, to: ['b', 'c', 'external'] }, for: '30s', name: 'cut the primary zone off' },
        {
          sequence: [
            { wait: '1s' },
            { waitUntil: { role: { store: 'postgres' }, name: 'a postgres primary answers' }, timeout: '29s' },
          ],
        },
      ],
    },
  ],
  maxDuration: '3m',
});
