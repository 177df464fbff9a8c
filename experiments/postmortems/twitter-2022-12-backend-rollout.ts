// Postmortem: Twitter, 28 December 2022. A backend change rolled out under load; logins failed.
//
// Sources: Business 2 Community
// (https://www.business2community.com/tech-news/twitter-outage-affects-thousands-of-users-heres-what-happened-02595470):
// reports from 7:30 PM ET on 28 December, over 10,000 users an hour later, "exceeded rate limits
// when attempting to log in" and failed timeline refreshes; about five hours in all. Elon Musk on
// Twitter, 2022-12-29, quoted there and by Financial Express
// (https://www.financialexpress.com/life/technology-elon-musk-says-twitter-should-feel-faster-after-server-architecture-changes-2930757/):
// "Significant backend server architecture changes rolled out. Twitter should feel faster."
//
// Known: the outage came with a backend change rolled out while users were active; logins and
// refreshes failed; Twitter published no postmortem. Assumed: the change reached every instance of
// the serving tier at about the same time, without waiting for one to be ready before the next
// (the mesh's app tier stands for it), so for a while no instance could serve.
//
// Two rollouts of the same change (a restart of each app instance) under the same load:
//  - this file: every instance at once, as an ungated rollout does;
//  - twitter-2022-12-backend-rollout-gated.ts: one at a time, each ready before the next.
import { defineExperiment, type ExperimentInput } from 'faultline';

type Step = ExperimentInput['timeline'][number];
const restart = (node: string): Step => ({ fault: { kind: 'restart', node, graceS: 0 }, name: `roll the change out to ${node}` });
const ready = (node: string): Step => ({ waitUntil: { name: `${node} ready`, http: { node, port: 'http', path: '/readyz' } }, timeout: '60s' });

/** The rollout under load; `timeline` is how it reaches the instances. */
export const rollout = (name: string, description: string, timeline: Step[], documented: ExperimentInput['documented']) => defineExperiment({
  name,
  description,
  steadyState: {
    probes: [
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '60s',
  },
  workload: { rate: 20, warmup: '5s', cooldown: '10s' },
  timeline,
  slos: {
    // System-wide: time in which no client's write succeeded.
    maxUnavailableTime: '1s',
    maxLostAckedWrites: 0,
    maxFailovers: { postgres: 0, redis: 0 },
  },
  documented,
  maxDuration: '3m',
});

export const gatedTimeline: Step[] = [restart('app-a'), ready('app-a'), restart('app-b'), ready('app-b')];

export default rollout('twitter-2022-12-backend-rollout',
  'Roll a change out to every app instance at once under load (Twitter, December 2022): while they restart, no instance serves.',
  [{ concurrent: [restart('app-a'), restart('app-b')] }, ready('app-a'), ready('app-b')],
  {
    verdict: 'fail',
    slos: { maxUnavailableTime: 'fail', maxLostAckedWrites: 'pass' },
    reason: 'SLO maxUnavailableTime fail',
    why: 'With every instance restarting at once there is no instance to serve until the first is ready again: measured 8.2 s in which no write succeeded (nothing acknowledged lost; the stores never noticed). The gated rollout of the same change keeps one instance serving.',
  });
