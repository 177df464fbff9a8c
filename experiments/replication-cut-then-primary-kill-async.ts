// replication-cut-then-primary-kill with asynchronous replication: the standby is promoted
// without what the primary took after the cut (see that file for the timeline and the reasoning).
import { replicationCutThenKill } from './replication-cut-then-primary-kill.ts';

export default replicationCutThenKill('replication-cut-then-primary-kill-async', ['async-replication'],
  'The same cut and kill with asynchronous replication: the standby is promoted without what the primary took after the cut, and those writes are lost.',
  undefined);
