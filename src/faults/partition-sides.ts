// The two sides of a partition, shared by the proxy-level kinds (`zones`, `isolate`) and the
// kernel-level one (`partition_kernel`), so the same spec cuts the same links whichever does it.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { FaultContext } from './types.ts';
import { NodeSelector, type NodeSelectorSpec } from '../config/node-selector.ts';
import { resolveNode, resolveZone } from './node-selector.ts';

/** Zone names, or the zone a node is in ("the zone holding the Postgres primary"). */
export const ZoneSide = z.union([z.array(z.string().min(1)).min(1), z.object({ zoneOf: NodeSelector }).strict()]);
export type ZoneSideSpec = z.infer<typeof ZoneSide>;

export interface Sides { a: (node: string) => boolean; b: (node: string) => boolean; label: string }

async function zonesOf(t: Target, s: ZoneSideSpec, roles?: FaultContext['roles'], note?: FaultContext['note']): Promise<string[]> {
  const zones = Array.isArray(s) ? s : [await resolveZone(t, s.zoneOf, roles, note)];
  for (const z of zones) {
    if (!(z in t.zones) && z !== 'external') throw new FaultlineError(ErrorCodes.BAD_INPUT, `no zone "${z}" in ${t.projectName}`, `use one of: ${Object.keys(t.zones).join(', ')}`);
  }
  return zones;
}

/** Nodes by zone; the external client (not a node) is in zone "external". */
/** `to` left out: every other zone, and the external client. */
export async function zoneSides(ctx: FaultContext, from: ZoneSideSpec, to: ZoneSideSpec | undefined, oneWay: boolean): Promise<Sides> {
  const a = await zonesOf(ctx.target, from, ctx.roles, ctx.note);
  const b = to ? await zonesOf(ctx.target, to, ctx.roles, ctx.note) : [...Object.keys(ctx.target.zones), 'external'].filter((z) => !a.includes(z));
  const overlap = a.filter((z) => b.includes(z));
  if (overlap.length) throw new FaultlineError(ErrorCodes.BAD_INPUT, `zone ${overlap.join(', ')} is on both sides of the partition`, 'give each side its own zones');
  const zoneOf = (n: string) => ctx.target.nodes[n]?.zone ?? 'external';
  return { a: (n) => a.includes(zoneOf(n)), b: (n) => b.includes(zoneOf(n)), label: `zones ${a.join('+')} ${oneWay ? '-/->' : '<-/->'} ${b.join('+')}` };
}

/** One node against everyone else. */
export async function isolateSides(ctx: FaultContext, sel: NodeSelectorSpec): Promise<Sides> {
  const node = await resolveNode(ctx.target, sel, ctx.roles, ctx.note);
  return { a: (n) => n === node, b: (n) => n !== node, label: `isolate ${node}` };
}
