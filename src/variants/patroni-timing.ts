// Patroni's failure-detection timing. Unset params keep the reference mesh's values (ttl 20 s,
// loop_wait 1 s, retry_timeout 3 s, services/README.md), so a sweep of one param changes only it.
// Patroni 4 raises a ttl under 20 to 20 in its effective config while /config still shows the
// value sent ("ttl=8 can't be smaller than 20, adjusting"), so the read-back could not catch it:
// the param's minimum is 20.
import { variantKind } from './types.ts';

export default variantKind({
  name: 'patroni-timing',
  description: 'Patroni ttl / loop_wait / retry_timeout: how long a dead primary holds the leader key, how often members check, how long DCS and Postgres calls are retried',
  params: [
    { name: 'ttl', key: 'patroni.ttl', default: 20, min: 20, max: 3600, unit: 's', description: 'leader key lease: a dead primary is replaced about ttl after its last renewal' },
    { name: 'loop_wait', key: 'patroni.loop_wait', default: 1, min: 1, max: 600, unit: 's', description: 'seconds between Patroni loops (lease renewals, checks)' },
    { name: 'retry_timeout', key: 'patroni.retry_timeout', default: 3, min: 1, max: 600, unit: 's', description: 'how long DCS and Postgres operations are retried; with the DCS gone, the primary demotes itself after it' },
  ],
  settings: (p) => ({ patroni: { ttl: p.ttl, loop_wait: p.loop_wait, retry_timeout: p.retry_timeout } }),
  // Patroni documents this rule but 3.0.2 does not enforce it (DESIGN.md): a lease shorter than a
  // loop plus two retries expires under a primary that is only retrying.
  check: (p) => (p.loop_wait! + 2 * p.retry_timeout! > p.ttl!
    ? [`loop_wait + 2 × retry_timeout must be at most ttl (Patroni's rule): ${p.loop_wait} + 2 × ${p.retry_timeout} = ${p.loop_wait! + 2 * p.retry_timeout!} > ${p.ttl}`] : []),
});
