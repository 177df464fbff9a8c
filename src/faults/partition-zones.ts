// Partition `zones`: cut the links between two sets of zones; intra-zone links stay up.
// `oneWay: true` drops only what flows from `from` to `to`. A side may be given as a role
// ("the zone holding the Postgres primary"), resolved at injection.
import { z } from 'zod';
import type { FaultKind } from './types.ts';
import { ZoneSide, zoneSides, type ZoneSideSpec } from './partition-sides.ts';
import { blackhole, cutsBetween } from './partition-cut.ts';

const zonesPartition = {
  kind: 'zones',
  // `to` left out: every other zone, and the external client.
  schema: z.object({ kind: z.literal('zones'), from: ZoneSide, to: ZoneSide.optional(), oneWay: z.boolean().default(false) }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { from: ZoneSideSpec; to?: ZoneSideSpec; oneWay: boolean };
    const sides = await zoneSides(ctx, spec.from, spec.to, spec.oneWay);
    const cuts = cutsBetween(ctx.target.links, sides.a, sides.b, spec.oneWay);
    const heal = await blackhole(ctx, id, cuts);
    return { id, kind: 'zones', description: `${sides.label} (${cuts.length} links)`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;
export default zonesPartition;
