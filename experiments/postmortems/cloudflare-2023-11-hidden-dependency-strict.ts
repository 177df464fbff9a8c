// cloudflare-2023-11-hidden-dependency with synchronous_mode_strict: every commit waits for a
// standby, so the power loss of the standby's zone stops the primary's writes. See that file.
import { zoneBPowerLoss } from './cloudflare-2023-11-hidden-dependency.ts';

export default zoneBPowerLoss('cloudflare-2023-11-hidden-dependency-strict',
  'Zone b loses power for 40 s with strict synchronous replication: every commit waits for the lost standby, so writes stop though no primary was hit.',
  ['strict-sync-replication'],
  {
    verdict: 'fail',
    slos: { maxUnavailableTime: 'fail', maxLostAckedWrites: 'pass', noSplitBrain: 'pass' },
    reason: 'SLO maxUnavailableTime fail',
    why: 'Strict synchronous replication will not commit without a standby: with pg-b dark every write through pg-a waits, then fails (measured 58 s without a successful write for a 40 s loss), though no node of zone a was touched. Nothing acknowledged is lost: it keeps that promise by refusing writes.',
  });
