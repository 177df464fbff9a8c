// Postmortem: X Spaces, 12 August 2024. A live event's start draws a crowd; the service falls over
// and the owner blames a DDoS.
//
// Sources: AP via ABC News, 2024-08-13
// (https://abcnews.go.com/Technology/wireStory/elon-musks-trump-interview-marred-technical-glitches-musk-112791787):
// people could not join the audio conversation; 18 minutes after the planned start Musk posted
// that X was under a "massive" DDoS; the rest of X appeared to work normally; the conversation
// began 42 minutes late; Musk had said the system was "tested ... with 8 million concurrent
// listeners" that day. The Daily Beast (https://www.thedailybeast.com/elons-trump-spaces-chat-is-a-total-disaster),
// citing The Verge: a source at X said there was no such attack.
//
// Known: joining failed at the scheduled start, when everyone arrived at once; a smaller audience
// got in later; the rest of the product kept working. Assumed: the crowd was legitimate (the
// claim of an attack is disputed and does not change what the service saw: many new connections
// at once), and joining touches the same stores as everything else (here, every join asks both
// stores through the app's readiness check, /readyz, on a new connection). X published no
// technical postmortem.
//
// The timeline: 300 clients per app arrive at once and keep joining for 30 s (a new connection per
// request), while the workload (the users already in) writes through both apps. Does the crowd
// starve the writes?
//
// What it finds on the default mesh (expected verdict: fail): yes. Measured at load ~38 on 2
// cores: 8.4% of the writes due during the storm failed or timed out and their p99 was 2.2 s; no
// store failed over and nothing acknowledged was lost, and the writes recovered as soon as the
// crowd left. The stores are not the bottleneck: the same crowd on /readyz?maxAgeMs=1000, which
// shares one store check per second per app, still failed 2.3% (p99 2.1 s), so what the crowd
// exhausts is the apps' own capacity to take connections. What changes the outcome is admission
// at the edge (a connection limit or a queue in front of the apps) or more app capacity, not a
// store setting. (Here the crowd is generated on the same machine as the mesh, so part of what
// it costs is CPU taken from the system under test; a crowd from elsewhere costs only the apps.)
//
// How many writes fail depends on how much CPU the machine has left, so the catalogue asserts the
// latency, which every run breached: p99 2.2 s with 8.4% failed at load ~38; in two later runs
// 1.7 s with 1 of 622 writes failed, and 1.3 s with none (load ~10 and ~5).
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'x-spaces-2024-08-join-storm',
  description: 'A crowd of 300 clients per app joins at once for 30 s, each join a new connection that asks both stores (X Spaces, August 2024): the users already in must keep writing (expected verdict: fail).',
  steadyState: {
    probes: [
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '5s', cooldown: '5s' },
  timeline: [
    { concurrent: ['app-a', 'app-b'].map((node) => ({ fault: { kind: 'storm', node, connections: 300, path: '/readyz' }, for: '30s', name: `the crowd joins through ${node}` })) },
  ],
  slos: {
    maxP99DuringFault: '1s',
    maxErrorRate: 0.01,
    maxLostAckedWrites: 0,
    maxFailovers: { postgres: 0, redis: 0 },
  },
  documented: {
    verdict: 'fail',
    // maxErrorRate is left out: whether writes fail outright depends on the CPU the machine has left (see above).
    slos: { maxP99DuringFault: 'fail', maxLostAckedWrites: 'pass', 'maxFailovers[postgres]': 'pass', 'maxFailovers[redis]': 'pass' },
    reason: 'SLO maxP99DuringFault fail',
    why: 'The crowd takes the apps\' capacity: writes from users already in slow down past 1 s at p99 while it lasts (measured 1.3-2.2 s), and on a loaded machine fail or time out (8.4%), though no store fails over and nothing acknowledged is lost; caching the join\'s store check does not remove it (2.3% failed), so the limit is the apps\' own, not the stores\'.',
  },
  maxDuration: '2m',
});
