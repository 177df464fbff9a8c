// replication-cut-then-primary-kill with asynchronous replication: the standby is promoted
// without what the primary took after the cut (see that file for the timeline and the reasoning).
import { replicationCutThenKill } from './replication-cut-then-primary-kill.ts';

export default replicationCutThenKill('replication-cut-then-primary-kill-async', ['async-replication'],
  'The same cut and kill with asynchronous replication: the standby is promoted without what the primary took after the cut, and those writes are lost (expected verdict: fail).',
  {
    verdict: 'fail',
    slos: { maxLostAckedWrites: 'fail', noSplitBrain: 'pass' },
    reason: 'SLO maxLostAckedWrites fail',
    why: 'Asynchronous replication acknowledges a commit before the standby has it: pg-a goes on alone through the cut, and the promoted pg-b never had those writes (measured: 194 of 1,102 acknowledged writes lost, acknowledged by pg-a between +16.4 s and +25.9 s, dropped by pg-b\'s promotion at +46.2 s).',
  });
