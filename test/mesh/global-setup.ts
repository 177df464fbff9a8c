// One reference mesh for all mesh tests, started the way a user starts it: `faultline up` of the
// packed package installed in a project outside this repository (its compose file, its images, its
// set-up; test/package/installed.ts, shared with the unit tests). Down with its volumes after.
import { down } from '../../src/index.ts';
import { faultline, installedPackage } from '../package/installed.ts';
import { TEST_ENV, testTarget } from './env.ts';

export async function setup(): Promise<() => Promise<void>> {
  const t = testTarget();
  const started = Date.now();
  await down(t).catch(() => undefined); // leftovers of a killed earlier run
  const pkg = await installedPackage();
  const installed = Date.now();
  const r = await faultline(pkg, ['up'], { env: TEST_ENV, timeoutMs: 300_000 });
  if (process.env.FAULTLINE_VERBOSE) console.log(r.stderr);
  if (r.code !== 0) throw new Error(`faultline up (the installed package, in ${pkg.project}) exited ${r.code}:\n${r.stderr}${r.stdout}`);
  console.log(`[mesh] test mesh up and healthy in ${((Date.now() - started) / 1000).toFixed(1)} s (from the installed package; waited ${((installed - started) / 1000).toFixed(1)} s for it to be packed and installed)`);
  return async () => {
    const t0 = Date.now();
    await down(t);
    console.log(`[mesh] test mesh down (containers, networks, volumes removed) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
}
