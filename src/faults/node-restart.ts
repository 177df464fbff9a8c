// Node fault `restart`: stop then start the node. Heal: make sure it runs.
import { z } from 'zod';
import { once, type FaultKind } from './types.ts';
import { NodeSelector, resolveNode, type NodeSelectorSpec } from './node-selector.ts';

const restart: FaultKind<unknown> = {
  kind: 'restart',
  schema: z.object({ kind: z.literal('restart'), node: NodeSelector, graceS: z.number().int().min(0).max(300).default(10) }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { node: NodeSelectorSpec; graceS: number };
    const node = await resolveNode(ctx.target, spec.node);
    await ctx.nodes.restart(node, spec.graceS);
    return { id, kind: 'restart', description: `restart ${node}`, injectedAt: Date.now(), heal: once(() => ctx.nodes.start(node)) };
  },
};
export default restart;
