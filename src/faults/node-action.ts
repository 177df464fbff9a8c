// Shared by the one-shot node fault kinds: resolve the node (a name or a role, at injection
// time), act on it, and heal by bringing it back to running.
import { z } from 'zod';
import { once, type FaultKind, type FaultNodes } from './types.ts';
import { NodeSelector } from '../config/node-selector.ts';
import { resolveNode } from './node-selector.ts';

export function nodeAction<K extends string, A extends z.ZodRawShape>(
  kind: K,
  attrs: A,
  act: (nodes: FaultNodes, node: string, spec: z.infer<z.ZodObject<A>>) => Promise<void>,
  describe: (node: string, spec: z.infer<z.ZodObject<A>>) => string,
) {
  return {
    kind,
    schema: z.object({ kind: z.literal(kind), node: NodeSelector, ...attrs }).strict(),
    async inject(raw, ctx, id) {
      const spec = raw as z.infer<z.ZodObject<A>> & { node: z.infer<typeof NodeSelector> };
      const node = await resolveNode(ctx.target, spec.node, ctx.roles, ctx.note);
      await act(ctx.nodes, node, spec);
      return { id, kind, description: describe(node, spec), injectedAt: Date.now(), heal: once(() => ctx.nodes.start(node)) };
    },
  } satisfies FaultKind<unknown>;
}

export const GraceS = z.number().int().min(0).max(300).default(10);
