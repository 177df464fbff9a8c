// Postmortem: X, May 2025. A data centre is lost; "the failover redundancy should have worked,
// but did not".
//
// Sources: Elon Musk on X, 2025-05-24, quoted by the Hindustan Times
// (https://www.hindustantimes.com/world-news/us-news/back-to-24-7-at-work-elon-musk-after-global-x-twitter-outage-promises-fixes-101748104944042.html):
// "As evidenced by the X uptime issues this week, major operational improvements need to be made.
// The failover redundancy should have worked, but did not." The fire: a battery room at a leased
// data centre in Hillsboro, Oregon, on 2025-05-22, reported by Wired and summarised by HotHardware
// (https://hothardware.com/news/x-goes-down-fire-breaks-out-musks-oregon-data-center).
//
// Known: one facility was lost to a fire in its battery room; X's engineering account spoke of a
// "data center outage"; users could not log in, post or read direct messages, on and off for about
// two days; the owner said failover should have worked and did not. No technical postmortem was
// published.
// Assumed (everything below the symptoms): the lost facility held the primaries of the stores the
// product writes to (here, both primaries in zone a), every node in it stopped at once and stayed
// down, and the survivors had to elect new primaries by themselves. So the question this asks of a
// system is the one X's owner answered after the fact: with a whole zone gone, do the survivors take
// over, how fast, and what do they lose?
//
// The timeline: every node of zone a (app-a, haproxy-a, pg-a, etcd-a, redis-a, sentinel-a)
// SIGKILLed at once and kept down for 60 s, clients writing through app-b.
//
// What it finds on the default mesh (expected verdict: fail). Each store fails over by itself:
// Sentinel promotes redis-b 3.2 s after the loss; Patroni promotes pg-b when the dead primary's
// leader key expires, 21.2 s after. Nothing acknowledged is lost and there are never two primaries.
// But the app writes Postgres before Redis, so no write reaches Redis until Postgres is back:
// writes stop for 20.8 s, and Redis's failover, as its clients see it, takes as long as
// Postgres's (21.2 s against the 15 s its own failover would meet). The redundancy worked per
// store; the product waited for its slowest store. What changes it is the slowest failover's
// timing: Patroni's ttl (20 s is Patroni 4's minimum; the old stack, FAULTLINE_PATRONI=3.0.2,
// ran 8 s), or an app whose writes to one store do not wait on the other.
import { defineExperiment, type ExperimentInput } from 'faultline';

type Step = ExperimentInput['timeline'][number];
const ZONE_A = ['app-a', 'haproxy-a', 'pg-a', 'etcd-a', 'redis-a', 'sentinel-a'];
const power: Step = { concurrent: ZONE_A.map((node) => ({ fault: { kind: 'kill', node }, for: '60s', name: `${node} loses power` })) };

export default defineExperiment({
  name: 'x-2025-05-datacenter-loss',
  description: 'Both primaries in zone a; every node of zone a dies at once and stays down for 60 s (X, May 2025): zones b and c must elect new primaries and take writes again, without losing what was acknowledged.',
  given: { primaries: { postgres: 'pg-a', redis: 'redis-a' } },
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'redis: one master, one replica', role: { store: 'redis', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '120s',
  },
  workload: { rate: 20, via: ['app-b'], warmup: '5s', cooldown: '10s' },
  timeline: [power],
  slos: {
    maxFailoverTime: { postgres: '40s', redis: '15s' },
    maxLostAckedWrites: 0,
    noSplitBrain: true,
    maxFailovers: { postgres: 1, redis: 1 },
  },
  documented: {
    verdict: 'fail',
    slos: { 'maxFailoverTime[postgres]': 'pass', 'maxFailoverTime[redis]': 'fail', maxLostAckedWrites: 'pass', noSplitBrain: 'pass' },
    reason: 'SLO maxFailoverTime[redis] fail',
    why: 'Redis is promoted in ~3 s, but the app writes Postgres first and Postgres is promoted only when the leader key expires (~21 s): writes to Redis resume with Postgres, so the zone loss costs every write ~21 s although each store failed over by itself and nothing was lost.',
  },
  maxDuration: '4m',
});
