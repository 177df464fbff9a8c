// gitlab-2017-01-replica-lag with GitLab's asynchronous replication: the lagging standby is
// promoted when the primary's leader key expires, without the writes it never received. See that file.
import { replicationCutThenKill } from '../replication-cut-then-primary-kill.ts';
import { GITLAB_TIMING } from './gitlab-2017-01-replica-lag.ts';

export default replicationCutThenKill('gitlab-2017-01-replica-lag-async', ['async-replication'],
  'The GitLab.com timeline with asynchronous replication: the lagging standby is promoted without what the primary took in the last 30 s, and those acknowledged writes are lost.',
  undefined, GITLAB_TIMING);
