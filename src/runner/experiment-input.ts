// The experiment as a user writes it, typed with every fault kind's own input. Config sits below
// the faults, so its input types take the fault type as a parameter; here the two meet, as the
// checker does in check-experiment.ts. The public entry exports these: an unknown `kind` or a
// misspelt field of a fault is a compile error in the user's editor.
import { defineExperiment as tag, type DefinedExperiment as ShapeDefined, type ExperimentInput as ShapeInput } from '../config/experiment.ts';
import type { StepInput as ShapeStep } from '../config/timeline.ts';
import type { FaultInput } from '../faults/registry.ts';

export type { FaultInput, FaultKindName } from '../faults/registry.ts';
export type StepInput = ShapeStep<FaultInput>;
export type ExperimentInput = ShapeInput<FaultInput>;
export type DefinedExperiment = ShapeDefined<FaultInput>;

/** Typed, tagged and frozen; checked when run or validated, so one file's mistakes never hide another's. */
export const defineExperiment = (input: ExperimentInput): DefinedExperiment => tag(input) as DefinedExperiment;
