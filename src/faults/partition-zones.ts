// Partition `zones`: cut the links between two sets of zones; intra-zone links stay up.
// `oneWay: true` drops only what flows from `from` to `to`. A side may be given as a role
// ("the zone holding the Postgres primary"), resolved at injection.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { FaultContext, FaultKind } from './types.ts';
import { NodeSelector, resolveZone } from './node-selector.ts';
import { blackhole, cutsBetween } from './partition-cut.ts';

const Side = z.union([z.array(z.string().min(1)).min(1), z.object({ zoneOf: NodeSelector }).strict()]);
type SideSpec = z.infer<typeof Side>;

async function zonesOf(t: Target, s: SideSpec, roles?: FaultContext['roles']): Promise<string[]> {
  const zones = Array.isArray(s) ? s : [await resolveZone(t, s.zoneOf, roles)];
  for (const z of zones) {
    if (!(z in t.zones) && z !== 'external') throw new FaultlineError(ErrorCodes.BAD_INPUT, `no zone "${z}" in ${t.projectName}`, `use one of: ${Object.keys(t.zones).join(', ')}`);
  }
  return zones;
}

const zonesPartition: FaultKind<unknown> = {
  kind: 'zones',
  // `to` left out: every other zone, and the external client.
  schema: z.object({ kind: z.literal('zones'), from: Side, to: Side.optional(), oneWay: z.boolean().default(false) }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { from: SideSpec; to?: SideSpec; oneWay: boolean };
    const a = await zonesOf(ctx.target, spec.from, ctx.roles);
    const b = spec.to ? await zonesOf(ctx.target, spec.to, ctx.roles) : [...Object.keys(ctx.target.zones), 'external'].filter((z) => !a.includes(z));
    const overlap = a.filter((z) => b.includes(z));
    if (overlap.length) throw new FaultlineError(ErrorCodes.BAD_INPUT, `zone ${overlap.join(', ')} is on both sides of the partition`, 'give each side its own zones');
    const zoneOf = (n: string) => ctx.target.nodes[n]?.zone ?? 'external';
    const cuts = cutsBetween(ctx.target.links, (n) => a.includes(zoneOf(n)), (n) => b.includes(zoneOf(n)), spec.oneWay);
    const heal = await blackhole(ctx, id, cuts);
    return { id, kind: 'zones', description: `zones ${a.join('+')} ${spec.oneWay ? '-/->' : '<-/->'} ${b.join('+')} (${cuts.length} links)`, injectedAt: Date.now(), heal };
  },
};
export default zonesPartition;
