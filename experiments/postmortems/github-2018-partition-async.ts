// github-2018-partition with GitHub's asynchronous replication: what the old primary acknowledged
// but had not shipped when the cut began is not on the promoted standby. See that file.
import { partition43s } from './github-2018-partition.ts';

export default partition43s('github-2018-partition-async',
  'The 43-second cut of the primary\'s zone with asynchronous replication, as GitHub ran MySQL: the standby is promoted without the writes it had not received (expected verdict: fail).',
  ['async-replication'],
  {
    verdict: 'fail',
    slos: { maxLostAckedWrites: 'fail', noSplitBrain: 'pass' },
    reason: 'SLO maxLostAckedWrites fail',
    why: 'pg-a acknowledges writes in the first moments of the cut, while Toxiproxy is still putting it in place link by link (~2 s for every link of a zone here), and asynchronous replication had not shipped them; pg-b is promoted without them (measured: 17 of 1,022 acknowledged writes lost, acknowledged by pg-a +0.3 s to +1.8 s into the cut, dropped by pg-b\'s promotion at +22.1 s). GitHub\'s were not lost outright only because they kept the East Coast data to reconcile by hand.',
  });
