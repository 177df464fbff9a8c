// Postmortem: GitLab.com, 31 January 2017. The replica falls behind, and then the primary is lost.
//
// Source: GitLab, "Postmortem of database outage of January 31", 2017-02-10
// (https://about.gitlab.com/blog/2017/02/10/postmortem-of-database-outage-of-january-31/), and
// the incident report of 2017-02-01 (https://about.gitlab.com/blog/2017/02/01/gitlab-dot-com-database-incident/).
//
// Known (from the posts): one primary and one hot-standby secondary with asynchronous streaming
// replication; a spike of writes left the secondary so far behind that replication stopped (the
// WAL it needed was gone from the primary, so it had to be seeded again); while re-seeding it, an
// engineer removed the primary's data directory instead of the secondary's; the backups that should
// have covered it did not work; about six hours of database changes were lost.
// Assumed (the mapping onto this mesh): the lag is the replication stream cut for 30 s while writes
// go on; the primary is then lost (SIGKILL, kept down 40 s) with the standby still behind. The
// operator's mistake and the failed backups are not modelled: what is asked is what the
// replication setting promises once the primary is gone.
// On this mesh two settings differ from GitLab's: Patroni keeps a replication slot per member (the
// primary keeps the WAL a lagging standby still needs, so nothing has to be seeded again), and
// replication is synchronous. What it finds (pass): the standby cut off without its connection
// closing stays the synchronous one, so commits wait from the cut on (writes stopped 0.6 s into
// the cut); when the primary is lost the standby, which has every acknowledged write, is promoted
// at ttl (+21.1 s after the kill): 0 of 999 acknowledged writes lost, writes back 50 s after the
// cut began, the old primary back as a replica afterwards. The price of the promise is
// availability, not data. gitlab-2017-01-replica-lag-async.ts runs it with GitLab's asynchronous
// replication.
import { replicationCutThenKill } from '../replication-cut-then-primary-kill.ts';

export const GITLAB_TIMING = { cutFor: '70s', killAt: '30s', killFor: '40s' };

export default replicationCutThenKill('gitlab-2017-01-replica-lag', [],
  'The standby lags 30 s behind (its stream cut), then the primary is lost for 40 s (GitLab.com, January 2017), with synchronous replication: nothing acknowledged may be lost, and the old primary must rejoin as a replica afterwards.',
  {
    verdict: 'pass',
    slos: { maxLostAckedWrites: 'pass', noSplitBrain: 'pass' },
    why: 'Synchronous replication does not let the standby fall behind what was acknowledged: commits wait from the cut on, so the standby promoted after the primary is lost has every acknowledged write (measured 0 of 999 lost; writes stopped for 50 s, the cost of that promise).',
  }, GITLAB_TIMING);
