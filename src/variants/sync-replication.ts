// Synchronous replication under Patroni (the reference mesh's default): a commit is acknowledged
// only once the synchronous standby has it, and only that standby may be promoted.
import { variantKind } from './types.ts';

export default variantKind({
  name: 'sync-replication',
  description: 'Patroni synchronous_mode on (not strict): a commit waits for the synchronous standby; with the standby gone the primary goes on alone',
  params: [],
  settings: () => ({ patroni: { synchronous_mode: true, synchronous_mode_strict: false } }),
});
