// Node fault `pause`: freeze every process of the node (cgroup freezer): it holds its sockets
// but answers nothing, like a long GC pause or a hung VM. Heal: unpause.
import { z } from 'zod';
import { once, type FaultKind } from './types.ts';
import { NodeSelector, resolveNode, type NodeSelectorSpec } from './node-selector.ts';

const pause: FaultKind<unknown> = {
  kind: 'pause',
  schema: z.object({ kind: z.literal('pause'), node: NodeSelector }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { node: NodeSelectorSpec };
    const node = await resolveNode(ctx.target, spec.node);
    await ctx.nodes.pause(node);
    return { id, kind: 'pause', description: `pause ${node}`, injectedAt: Date.now(), heal: once(() => ctx.nodes.start(node)) };
  },
};
export default pause;
