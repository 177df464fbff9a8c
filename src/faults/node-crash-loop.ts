// Node fault `crash_loop`: kill the node every everyS seconds for forS seconds, starting it again
// right after each kill. Heal: stop the loop and leave the node running.
import { z } from 'zod';
import { once, type FaultKind } from './types.ts';
import { NodeSelector, type NodeSelectorSpec } from '../config/node-selector.ts';
import { resolveNode } from './node-selector.ts';

const crashLoop = {
  kind: 'crash_loop',
  schema: z.object({
    kind: z.literal('crash_loop'),
    node: NodeSelector,
    everyS: z.number().min(0.5).max(3600),
    forS: z.number().min(0.5).max(86_400),
    signal: z.string().default('SIGKILL'),
  }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { node: NodeSelectorSpec; everyS: number; forS: number; signal: string };
    const node = await resolveNode(ctx.target, spec.node, ctx.roles, ctx.note);
    const until = Date.now() + spec.forS * 1000;
    let stopped = false;
    let wake: (() => void) | undefined;
    const loop = (async () => {
      // Like a supervisor restarting a crashing process: killed, started again at once, killed
      // again everyS after the previous kill.
      while (!stopped && Date.now() < until) {
        const killedAt = Date.now();
        await ctx.nodes.kill(node, spec.signal).catch(() => undefined); // already dead is fine
        if (!stopped) await ctx.nodes.start(node);
        const next = Math.min(killedAt + spec.everyS * 1000, until) - Date.now();
        await new Promise<void>((r) => { wake = r; setTimeout(r, Math.max(0, next)); });
      }
    })();
    const heal = once(async () => {
      stopped = true;
      wake?.();
      await loop;
      await ctx.nodes.start(node);
    });
    return { id, kind: 'crash_loop', description: `${spec.signal} ${node} every ${spec.everyS} s for ${spec.forS} s`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;
export default crashLoop;
