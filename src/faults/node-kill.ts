// Node fault `kill`: send a signal (SIGKILL by default) to the node's container. Heal: start it
// again if it died.
import { z } from 'zod';
import { once, type FaultKind } from './types.ts';
import { NodeSelector, resolveNode, type NodeSelectorSpec } from './node-selector.ts';

const Signal = z.string().regex(/^(SIG)?[A-Z0-9]+$/, 'a signal name such as SIGKILL or SIGTERM').default('SIGKILL');

const kill: FaultKind<unknown> = {
  kind: 'kill',
  schema: z.object({ kind: z.literal('kill'), node: NodeSelector, signal: Signal }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { node: NodeSelectorSpec; signal: string };
    const node = await resolveNode(ctx.target, spec.node);
    await ctx.nodes.kill(node, spec.signal);
    return { id, kind: 'kill', description: `${spec.signal} to ${node}`, injectedAt: Date.now(), heal: once(() => ctx.nodes.start(node)) };
  },
};
export default kill;
