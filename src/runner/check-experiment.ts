// The experiment checker with every fault kind's and client kind's own schema and the variant
// registry: config checks the shape and the steps, the fault interpreter checks each fault, the
// registry each variant, the client registry the workload's client (config sits below them all
// and cannot reach them itself). The CLI, the loader, runForTest and the public entry all check
// through here.
import { dirname } from 'node:path';
import type { ErrorDetail } from '../core/errors.ts';
import { checkExperimentShape, type Experiment } from '../config/experiment.ts';
import { checkFault } from '../faults/interpreter.ts';
import { checkVariants } from '../variants/check.ts';
import { checkClient } from '../workload/clients/registry.ts';

/** Check an experiment: every problem at once; with problems, `partial` holds every valid part. */
export function checkExperiment(raw: unknown, file?: string): { value?: Experiment; partial?: Experiment; problems: ErrorDetail[] } {
  const r = checkExperimentShape(raw, { fault: checkFault, variant: checkVariants }, file);
  const exp = r.value ?? r.partial;
  if (!exp?.workload) return r;
  const client = checkClient(exp.workload.client, 'workload.client', file ? dirname(file) : process.cwd());
  const checked: Experiment = { ...exp, workload: { ...exp.workload, client: client.value ?? exp.workload.client } };
  const problems = [...r.problems, ...client.problems];
  return problems.length ? { partial: checked, problems } : { value: checked, problems };
}
