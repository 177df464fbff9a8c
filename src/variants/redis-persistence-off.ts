// Redis without persistence: no AOF, no snapshots. A restarted master comes back empty, and if
// Sentinel has not replaced it yet, its replicas copy the empty dataset (DESIGN.md).
import { variantKind } from './types.ts';

export default variantKind({
  name: 'redis-persistence-off',
  description: 'Redis appendonly no and save "" on every Redis node: a restarted node comes back with no data',
  params: [],
  settings: () => ({ redis: { appendonly: 'no', save: '' } }),
});
