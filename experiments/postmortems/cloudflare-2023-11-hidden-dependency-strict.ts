// cloudflare-2023-11-hidden-dependency with synchronous_mode_strict: every commit waits for a
// standby, so the power loss of the standby's zone stops the primary's writes. See that file.
import { zoneBPowerLoss } from './cloudflare-2023-11-hidden-dependency.ts';

export default zoneBPowerLoss('cloudflare-2023-11-hidden-dependency-strict',
  'Zone b loses power for 40 s with strict synchronous replication: every commit waits for the lost standby, so writes stop though no primary was hit.',
  ['strict-sync-replication']);
