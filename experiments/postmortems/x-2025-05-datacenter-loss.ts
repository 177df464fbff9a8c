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
  maxDuration: '4m',
});
