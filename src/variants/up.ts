// `faultline up --variant ... --param ...`: the mesh started (with any compose overrides laid
// over its compose file), healthy, and then the variants applied and read back on every node.
// They stay in force until the mesh is taken down or they are changed again; an experiment's own
// variants are reverted to whatever they were (these, then). A variant that does not take is
// reverted before the error, so `up` never leaves half of one behind.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { VariantUse } from '../config/variant.ts';
import { up, type Progress } from '../mesh/lifecycle.ts';
import { applyVariants, missingSurfaces, revertVariants, type AppliedVariants } from './apply.ts';
import { resolveVariant } from './check.ts';
import { readComposeOverride } from './compose-override.ts';
import type { Readings } from './types.ts';

export interface UpVariants { applied: AppliedVariants | null; compose: { file: string; values: Record<string, Record<string, unknown>>; notes: string[] }[] }

export async function upWithVariants(t: Target, uses: VariantUse[], opts: { onProgress?: Progress; timeoutS?: number } = {}): Promise<UpVariants> {
  const resolved = uses.map(resolveVariant);
  const missing = missingSurfaces(t, resolved);
  if (missing.length) {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `variants need systems that ${t.projectName} does not have`, 'drop those variants, or use a target that has these nodes (with published ports)',
      { details: missing.map((m) => ({ path: `--variant ${m.variant}`, message: `changes ${m.surface}, and ${t.projectName} has no ${m.surface} nodes` })) });
  }
  const overrides = resolved.flatMap((r) => (r.compose ? [r.compose] : []));
  await up(t, { ...opts, composeOverrides: overrides });
  const compose = [];
  for (const file of overrides) {
    const r = await readComposeOverride(t, file);
    if (r.off.length) throw new FaultlineError(ErrorCodes.VARIANT_NOT_IN_FORCE, `compose override ${file} is not in force in the running containers`, 'check the override names the services it means; `docker compose ... config` shows the merged file', { details: r.off.map((message) => ({ message })) });
    compose.push({ file, values: r.values, notes: r.notes });
  }
  const live = resolved.filter((r) => Object.keys(r.settings).length);
  if (!live.length) return { applied: null, compose };
  let before: Readings | undefined;
  try {
    return { applied: await applyVariants(t, live, { onBefore: (b) => { before = b; } }), compose };
  } catch (e) {
    const reverted = before ? await revertVariants(t, before).then(() => 'reverted to the values read before', (r: Error) => `and NOT reverted: ${r.message}`) : 'nothing was changed';
    throw new FaultlineError(ErrorCodes.VARIANT_NOT_IN_FORCE, `variant ${live.map((r) => r.name).join(', ')} not in force: ${(e as Error).message} (${reverted})`,
      'see which node did not answer or take it (`faultline status`), then run `faultline up --variant ...` again');
  }
}
