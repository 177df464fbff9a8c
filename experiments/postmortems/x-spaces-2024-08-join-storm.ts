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
// starve the writes? The setting that changes it is the app's, not the stores': the same crowd on
// /readyz?maxAgeMs=1000 shares one store check per second (x-spaces-2024-08-join-storm-cached.ts).
import { defineExperiment } from 'faultline';

/** The crowd on `path` of both apps; the cached variant of this postmortem uses another path. */
export const joinStorm = (name: string, path: string, description: string) => defineExperiment({
  name,
  description,
  steadyState: {
    probes: [
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '5s', cooldown: '5s' },
  timeline: [
    { concurrent: ['app-a', 'app-b'].map((node) => ({ fault: { kind: 'storm', node, connections: 300, path }, for: '30s', name: `the crowd joins through ${node}` })) },
  ],
  slos: {
    maxP99DuringFault: '1s',
    maxErrorRate: 0.01,
    maxLostAckedWrites: 0,
    maxFailovers: { postgres: 0, redis: 0 },
  },
  maxDuration: '2m',
});

export default joinStorm('x-spaces-2024-08-join-storm', '/readyz',
  'A crowd of 300 clients per app joins at once for 30 s, each join a new connection that asks both stores (X Spaces, August 2024): the users already in must keep writing.');
