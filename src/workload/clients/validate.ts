// The workload's client against the target, before anything is touched: its kind's own checks
// (endpoints, stores, a user's module), fields that only the app client has, and SLOs that judge
// writes read back on a client that cannot read them back, naming what would.
import { dirname } from 'node:path';
import type { ErrorDetail } from '../../core/errors.ts';
import type { Experiment } from '../../config/experiment.ts';
import type { Target } from '../../config/target.ts';
import { checkClient, clientRegistry, kindOf } from './registry.ts';
import type { ClientKind } from './types.ts';

/** SLOs judged by reading acknowledged writes back after the run. */
export const SLOS_NEEDING_READ_BACK = ['maxLostAckedWrites'] as const;

const PATH = 'workload.client';

/** How a kind that reads back only with something added is made to. */
function howToReadBack(k: ClientKind, c: { module?: unknown }): string {
  const cap = k.readBack;
  if (typeof cap === 'string') return '';
  return cap.in === 'config' ? `add ${PATH}.${cap.needs}` : `export a ${cap.needs}(ids) function from the client in ${String(c.module)}`;
}

export async function checkWorkloadClient(exp: Experiment, target: Target): Promise<ErrorDetail[]> {
  const w = exp.workload;
  if (!w) return [];
  // Checked again here: an Experiment built by hand reaches validation without checkExperiment
  // (one that went through it and is incomplete has had its client's problems reported there).
  const { value, problems } = checkClient(w.client, PATH, exp.file ? dirname(exp.file) : process.cwd());
  if (!value) return exp.incomplete ? [] : problems;
  const kind = kindOf(value);
  if (kind.kind !== 'app') {
    if (w.via) problems.push({ path: 'workload.via', message: `only the app client writes through app nodes; this workload's client is "${kind.kind}"`, fix: 'drop workload.via, or use workload.client: { kind: \'app\' }' });
    if (w.direct.length) problems.push({ path: 'workload.direct', message: `direct lanes go beside the app client; this workload's client is "${kind.kind}"`, fix: `drop workload.direct (the sql and redis client kinds write straight to the stores)` });
  }
  const checked = await kind.check(value, { target, workload: w, path: PATH, allowRemote: exp.safety.allowRemoteEndpoints });
  problems.push(...checked.problems);
  const needing = SLOS_NEEDING_READ_BACK.filter((k) => exp.slos[k] !== undefined);
  // A module that did not load has said so already.
  if (needing.length && !checked.readsBack && !checked.problems.some((p) => p.path === `${PATH}.module`)) {
    const always = [...clientRegistry.values()].filter((k) => typeof k.readBack === 'string').map((k) => k.kind);
    problems.push({
      path: `slos.${needing[0]}`,
      message: `${needing.join(', ')} judges acknowledged writes by reading them back after the run, and this ${kind.kind} client cannot read its writes back`,
      fix: `${howToReadBack(kind, value as { module?: unknown })}, or use a client kind that always reads back (${always.join(', ')}), or drop ${needing.join(', ')}`,
    });
  }
  return problems;
}
