// Node fault `stop`: a clean stop (SIGTERM, then SIGKILL after graceS). Heal: start it.
import { z } from 'zod';
import { once, type FaultKind } from './types.ts';
import { NodeSelector, resolveNode, type NodeSelectorSpec } from './node-selector.ts';

const stop: FaultKind<unknown> = {
  kind: 'stop',
  schema: z.object({ kind: z.literal('stop'), node: NodeSelector, graceS: z.number().int().min(0).max(300).default(10) }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { node: NodeSelectorSpec; graceS: number };
    const node = await resolveNode(ctx.target, spec.node);
    await ctx.nodes.stop(node, spec.graceS);
    return { id, kind: 'stop', description: `stop ${node}`, injectedAt: Date.now(), heal: once(() => ctx.nodes.start(node)) };
  },
};
export default stop;
