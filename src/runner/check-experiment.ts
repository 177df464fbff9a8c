// The experiment checker with every fault kind's own schema and the variant registry: config
// checks the shape and the steps, the fault interpreter checks each fault, the registry each
// variant (config sits below both and cannot reach them itself). The CLI, the loader, runForTest and the public entry all check through here.
import type { ErrorDetail } from '../core/errors.ts';
import { checkExperimentShape, type Experiment } from '../config/experiment.ts';
import { checkFault } from '../faults/interpreter.ts';
import { checkVariants } from '../variants/check.ts';

/** Check an experiment: every problem at once; with problems, `partial` holds every valid part. */
export function checkExperiment(raw: unknown, file?: string): { value?: Experiment; partial?: Experiment; problems: ErrorDetail[] } {
  return checkExperimentShape(raw, { fault: checkFault, variant: checkVariants }, file);
}
