// Redis without fencing: a master cut off from its replicas takes writes for as long as its
// clients reach it, and loses all of them when Sentinel demotes it after the heal.
import { variantKind } from './types.ts';

export default variantKind({
  name: 'redis-fencing-off',
  description: 'Redis min-replicas-to-write 0 on every Redis node: a master cut off from its replicas keeps taking writes it cannot replicate',
  params: [],
  settings: () => ({ redis: { 'min-replicas-to-write': '0' } }),
});
