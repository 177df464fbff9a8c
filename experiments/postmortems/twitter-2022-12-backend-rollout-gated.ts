// twitter-2022-12-backend-rollout with the rollout gated: one instance at a time, the next only once
// the last is ready again, so one instance is always serving. See that file for the sources.
import { gatedTimeline, rollout } from './twitter-2022-12-backend-rollout.ts';

export default rollout('twitter-2022-12-backend-rollout-gated',
  'The same change rolled out one app instance at a time, each ready before the next: writes must never stop.',
  gatedTimeline);
