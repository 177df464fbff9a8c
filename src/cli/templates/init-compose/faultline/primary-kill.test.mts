// The experiment in ./experiments/primary-kill.mts as a vitest test (written by `faultline init
// --compose`). It runs against the project once it is up (`npx faultline up --target
// {{targetFile}}`), heals whatever it broke however it ends, and fails with every SLO listed:
//
//   npx vitest run faultline
import { expect, it } from 'vitest';
import { faultlineMatchers, runForTest } from 'faultline';
import experiment from './experiments/primary-kill.mjs';

expect.extend(faultlineMatchers);

it('survives losing the {{store}} primary and heals what it broke', async () => {
  const result = await runForTest(experiment, { onProgress: (line) => console.log(line) });
  expect(result).toHaveHealed();
  expect(result).toMeetSlos();
}, 240_000);
