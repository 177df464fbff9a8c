// Strict synchronous replication: no commit is acknowledged without a synchronous standby, so
// with the standby gone the primary stops taking writes (durability over availability).
import { variantKind } from './types.ts';

export default variantKind({
  name: 'strict-sync-replication',
  description: 'Patroni synchronous_mode and synchronous_mode_strict on: without a synchronous standby the primary takes no writes',
  params: [],
  settings: () => ({ patroni: { synchronous_mode: true, synchronous_mode_strict: true } }),
});
