// One reference mesh for all mesh tests: up (healthy) before, down with its volumes after.
import { down, up } from '../../src/index.ts';
import { testTarget } from './env.ts';

export async function setup(): Promise<() => Promise<void>> {
  const t = testTarget();
  const started = Date.now();
  await down(t).catch(() => undefined); // leftovers of a killed earlier run
  await up(t, { onProgress: (l) => process.env.FAULTLINE_VERBOSE && console.log(l) });
  console.log(`[mesh] test mesh up and healthy in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    const t0 = Date.now();
    await down(t);
    console.log(`[mesh] test mesh down (containers, networks, volumes removed) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
}
