// Partition `isolate`: cut every link to and from one node (it keeps running, alone).
import { z } from 'zod';
import type { FaultKind } from './types.ts';
import { NodeSelector, type NodeSelectorSpec } from '../config/node-selector.ts';
import { isolateSides } from './partition-sides.ts';
import { blackhole, cutsBetween } from './partition-cut.ts';

const isolate = {
  kind: 'isolate',
  schema: z.object({ kind: z.literal('isolate'), node: NodeSelector }).strict(),
  async inject(raw, ctx, id) {
    const sides = await isolateSides(ctx, (raw as { node: NodeSelectorSpec }).node);
    const cuts = cutsBetween(ctx.target.links, sides.a, sides.b);
    const heal = await blackhole(ctx, id, cuts);
    return { id, kind: 'isolate', description: `${sides.label} (${cuts.length} links)`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;
export default isolate;
