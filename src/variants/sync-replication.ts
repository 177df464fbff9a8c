// Synchronous replication under Patroni (the reference mesh's default): a commit is acknowledged
// only once the synchronous standby has it, and only that standby may be promoted.
import { variantKind } from './types.ts';

export default variantKind({
  name: 'sync-replication',
  description: 'Patroni synchronous_mode on: a commit waits for the synchronous standby (strictness left as it is; the reference mesh is not strict, so with the standby gone the primary goes on alone)',
  params: [],
  settings: () => ({ patroni: { synchronous_mode: true } }),
});
