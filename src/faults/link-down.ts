// Link fault `link_down`: the link's proxies are disabled, so clients see "connection refused"
// (unlike a real partition, where packets vanish; use `blackhole` for that).
import { z } from 'zod';
import { once, type FaultKind } from './types.ts';
import { LinkRef, proxiesOf, type LinkRefSpec } from './link-toxic.ts';

const linkDown = {
  kind: 'link_down',
  schema: z.object({ kind: z.literal('link_down'), link: LinkRef }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { link: LinkRefSpec };
    const disabled: string[] = [];
    const heal = once(async () => {
      for (const p of disabled) await ctx.toxiproxy.setEnabled(p, true);
    });
    try {
      for (const p of proxiesOf(ctx.target, spec.link)) {
        disabled.push(p);
        await ctx.toxiproxy.setEnabled(p, false);
      }
    } catch (err) {
      await heal();
      throw err;
    }
    return { id, kind: 'link_down', description: `proxies disabled on ${spec.link.from} -> ${spec.link.to}`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;
export default linkDown;
