// Redis fencing with chosen bounds: a master takes writes only while min-replicas-to-write
// replicas acknowledged its stream within min-replicas-max-lag seconds. Unset params keep the
// reference mesh's values (1 within 2 s, services/README.md "Fencing").
import { variantKind } from './types.ts';

export default variantKind({
  name: 'redis-fencing',
  description: 'Redis min-replicas-to-write / min-replicas-max-lag on every Redis node: how many replicas a master needs, and how recent their acknowledgements must be, to take a write',
  params: [
    { name: 'min-replicas-to-write', key: 'redis.min-replicas-to-write', default: 1, min: 0, max: 16, unit: 'replicas', description: 'replicas that must be connected and recent for a write (0: no fencing)' },
    { name: 'min-replicas-max-lag', key: 'redis.min-replicas-max-lag', default: 2, min: 1, max: 3600, unit: 's', description: 'a replica counts while its last acknowledgement is at most this old; a cut-off master stops taking writes about this long (+2 s) after the cut' },
  ],
  settings: (p) => ({ redis: { 'min-replicas-to-write': String(p['min-replicas-to-write']), 'min-replicas-max-lag': String(p['min-replicas-max-lag']) } }),
});
