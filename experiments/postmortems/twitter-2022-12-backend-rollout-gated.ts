// twitter-2022-12-backend-rollout with the rollout gated: one instance at a time, the next only once
// the last is ready again, so one instance is always serving. See that file for the sources.
import { gatedTimeline, rollout } from './twitter-2022-12-backend-rollout.ts';

export default rollout('twitter-2022-12-backend-rollout-gated',
  'The same change rolled out one app instance at a time, each ready before the next: writes must never stop.',
  gatedTimeline,
  {
    verdict: 'pass',
    slos: { maxUnavailableTime: 'pass', maxLostAckedWrites: 'pass' },
    why: 'One instance restarts while the other serves, and the next restarts only once the first answers /readyz again: measured no moment without a successful write, nothing lost. The same change, the same load; only the order of the rollout differs.',
  });
