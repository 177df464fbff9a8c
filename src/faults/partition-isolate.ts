// Partition `isolate`: cut every link to and from one node (it keeps running, alone).
import { z } from 'zod';
import type { FaultKind } from './types.ts';
import { NodeSelector, resolveNode, type NodeSelectorSpec } from './node-selector.ts';
import { blackhole, cutsBetween } from './partition-cut.ts';

const isolate: FaultKind<unknown> = {
  kind: 'isolate',
  schema: z.object({ kind: z.literal('isolate'), node: NodeSelector }).strict(),
  async inject(raw, ctx, id) {
    const node = await resolveNode(ctx.target, (raw as { node: NodeSelectorSpec }).node, ctx.roles);
    const cuts = cutsBetween(ctx.target.links, (n) => n === node, (n) => n !== node);
    const heal = await blackhole(ctx, id, cuts);
    return { id, kind: 'isolate', description: `isolate ${node} (${cuts.length} links)`, injectedAt: Date.now(), heal };
  },
};
export default isolate;
