// The experiment checker with every fault kind's own schema: config checks the shape and the
// steps, the fault interpreter checks each fault (config sits below the faults and cannot reach
// them itself). The CLI, the loader, runForTest and the public entry all check through here.
import type { ErrorDetail } from '../core/errors.ts';
import { checkExperimentShape, type Experiment } from '../config/experiment.ts';
import { checkFault } from '../faults/interpreter.ts';

/** Check an experiment: every problem at once; with problems, `partial` holds every valid part. */
export function checkExperiment(raw: unknown, file?: string): { value?: Experiment; partial?: Experiment; problems: ErrorDetail[] } {
  return checkExperimentShape(raw, checkFault, file);
}
