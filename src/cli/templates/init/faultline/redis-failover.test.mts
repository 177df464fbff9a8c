// The experiment in ./experiments/redis-failover.mts as a vitest test (written by `faultline init`).
// It runs against a mesh that is already up (`npx faultline up`), heals whatever it broke however
// it ends, and fails with every SLO listed, observed against its limit:
//
//   npx vitest run faultline
import { expect, it } from 'vitest';
import { faultlineMatchers, runForTest } from 'faultline';
import experiment from './experiments/redis-failover.mjs';

expect.extend(faultlineMatchers);

it('fails Redis over within its SLOs and heals what it broke', async () => {
  const result = await runForTest(experiment, { onProgress: (line) => console.log(line) });
  expect(result).toHaveHealed();
  expect(result).toMeetSlos();
}, 180_000);
