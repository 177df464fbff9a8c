// Opening the workload's client for a run. A client that cannot open (its database down, a user's
// open() throwing) stops the run before any fault, with a coded error that says so.
import { ErrorCodes, FaultlineError } from '../../core/errors.ts';
import type { Target } from '../../config/target.ts';
import type { Workload } from '../../config/workload.ts';
import { checkClient, kindOf } from './registry.ts';
import type { OpenClient } from './types.ts';

export async function openClient(t: Target, w: Workload): Promise<OpenClient> {
  const { value, problems } = checkClient(w.client, 'workload.client', process.cwd());
  if (!value) throw new FaultlineError(ErrorCodes.BAD_EXPERIMENT, 'the workload\'s client is not valid', 'correct each field listed above', { details: problems });
  try {
    return await kindOf(value).open(value, { target: t, workload: w });
  } catch (e) {
    throw new FaultlineError(ErrorCodes.CLIENT_UNAVAILABLE, `the workload's ${value.kind} client could not open: ${(e as Error)?.message ?? String(e)}`,
      'check that what it connects to is up (`faultline status`) and its settings, then run again; no fault was injected', { cause: e });
  }
}
