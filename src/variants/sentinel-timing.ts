// Sentinel's failure-detection timing, set on every Sentinel. Unset params keep the reference
// mesh's values (1000 ms / 5000 ms, services/README.md).
import { variantKind } from './types.ts';

export default variantKind({
  name: 'sentinel-timing',
  description: 'Sentinel down-after-milliseconds / failover-timeout on every Sentinel: how long a silent master takes to be declared down, and how soon a stuck failover is retried',
  params: [
    { name: 'down-after-milliseconds', key: 'sentinel.down-after-milliseconds', default: 1000, min: 100, max: 3_600_000, unit: 'ms', description: 'silence before a Sentinel holds the master subjectively down' },
    { name: 'failover-timeout', key: 'sentinel.failover-timeout', default: 5000, min: 1000, max: 86_400_000, unit: 'ms', description: 'how long a failover may take before it is retried (and the wait between two)' },
  ],
  settings: (p) => ({ sentinel: { 'down-after-milliseconds': String(p['down-after-milliseconds']), 'failover-timeout': String(p['failover-timeout']) } }),
});
