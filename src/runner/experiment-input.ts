// The experiment as a user writes it, typed with every fault kind's and client kind's own input
// and the registry's variant names. Config sits below the faults, the variants and the workload
// clients, so its input types take them as parameters or are loose there; here they meet, as the
// checkers do in check-experiment.ts. The public entry exports these: an unknown `kind`, a misspelt
// field of a fault or a workload client, or an unknown variant name is a compile error in the
// user's editor.
import { defineExperiment as tag, type DefinedExperiment as ShapeDefined, type ExperimentInput as ShapeInput } from '../config/experiment.ts';
import type { StepInput as ShapeStep } from '../config/timeline.ts';
import type { WorkloadInput as ShapeWorkload } from '../config/workload.ts';
import type { FaultInput } from '../faults/registry.ts';
import type { VariantName } from '../variants/registry.ts';
import type { ClientInput } from '../workload/clients/registry.ts';

export type { FaultInput, FaultKindName } from '../faults/registry.ts';
export type { VariantName } from '../variants/registry.ts';
export type { ClientInput, ClientKindName } from '../workload/clients/registry.ts';
export type StepInput = ShapeStep<FaultInput>;
/** The workload, its client one of the client kinds' exact inputs. */
export type WorkloadInput = Omit<ShapeWorkload, 'client'> & { client?: ClientInput };
export type ExperimentInput = Omit<ShapeInput<FaultInput, VariantName>, 'workload'> & { workload?: WorkloadInput };
export type DefinedExperiment = Omit<ShapeDefined<FaultInput, VariantName>, 'workload'> & { workload?: WorkloadInput };

/** Typed, tagged and frozen; checked when run or validated, so one file's mistakes never hide another's. */
export const defineExperiment = (input: ExperimentInput): DefinedExperiment => tag(input) as DefinedExperiment;
