// `faultline setup`: what the reference mesh needs on this machine (Docker engine, Compose, the
// base images, the app's dependencies, the mesh images), by the set-up script this copy ships. In
// a checkout it is `npm run setup`; from an installed package it leaves the user's project alone.
import { packagePath } from '../core/package.ts';
import { exec } from '../runtime/exec.ts';
import type { Progress } from './lifecycle.ts';

/** Runs services/setup/setup.sh; its exit status (0: ready). The script prints its own coded errors. */
export async function runSetup(opts: { onProgress?: Progress } = {}): Promise<number> {
  const r = await exec('bash', [packagePath('services', 'setup', 'setup.sh')], { onLine: (l) => opts.onProgress?.(l) });
  return r.code;
}
