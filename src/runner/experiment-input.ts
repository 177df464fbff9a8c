// The experiment as a user writes it, typed with every fault kind's own input and the registry's
// variant names. Config sits below the faults and the variants, so its input types take both as
// parameters; here they meet, as the checkers do in check-experiment.ts. The public entry exports
// these: an unknown `kind`, a misspelt field of a fault or an unknown variant name is a compile
// error in the user's editor.
import { defineExperiment as tag, type DefinedExperiment as ShapeDefined, type ExperimentInput as ShapeInput } from '../config/experiment.ts';
import type { StepInput as ShapeStep } from '../config/timeline.ts';
import type { FaultInput } from '../faults/registry.ts';
import type { VariantName } from '../variants/registry.ts';

export type { FaultInput, FaultKindName } from '../faults/registry.ts';
export type { VariantName } from '../variants/registry.ts';
export type StepInput = ShapeStep<FaultInput>;
export type ExperimentInput = ShapeInput<FaultInput, VariantName>;
export type DefinedExperiment = ShapeDefined<FaultInput, VariantName>;

/** Typed, tagged and frozen; checked when run or validated, so one file's mistakes never hide another's. */
export const defineExperiment = (input: ExperimentInput): DefinedExperiment => tag(input) as DefinedExperiment;
