// gitlab-2017-01-replica-lag with GitLab's asynchronous replication: the lagging standby is
// promoted when the primary's leader key expires, without the writes it never received. See that file.
import { replicationCutThenKill } from '../replication-cut-then-primary-kill.ts';
import { GITLAB_TIMING } from './gitlab-2017-01-replica-lag.ts';

export default replicationCutThenKill('gitlab-2017-01-replica-lag-async', ['async-replication'],
  'The GitLab.com timeline with asynchronous replication: the lagging standby is promoted without what the primary took in the last 30 s, and those acknowledged writes are lost (expected verdict: fail).',
  {
    verdict: 'fail',
    slos: { maxLostAckedWrites: 'fail', noSplitBrain: 'pass' },
    reason: 'SLO maxLostAckedWrites fail',
    why: 'Asynchronous replication acknowledges what the standby never received: the primary takes writes alone for the 30 s of lag, and the standby promoted after it is lost lacks every one of them (measured: 604 of 1,452 acknowledged writes lost, all acknowledged by pg-a during the lag). GitLab lost six hours the same way, plus the backups that did not work.',
  }, GITLAB_TIMING);
