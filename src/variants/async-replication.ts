// Asynchronous replication: the primary acknowledges a commit before any standby has it, so a
// failover can lose acknowledged writes (121 of 885 in DESIGN.md's measurement).
import { variantKind } from './types.ts';

export default variantKind({
  name: 'async-replication',
  description: 'Patroni synchronous_mode off: commits are acknowledged before the standby has them, so a failover can lose acknowledged writes',
  params: [],
  settings: () => ({ patroni: { synchronous_mode: false } }),
});
