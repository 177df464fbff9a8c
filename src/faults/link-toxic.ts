// Shared by the link fault kinds: selecting a link's proxies and adding toxics that heal.
// A toxic's stream is upstream (client -> server) or downstream; `both` adds one on each.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { findLink, type Target } from '../config/target.ts';
import type { ToxicSpec } from '../runtime/toxiproxy.ts';
import { once, type ActiveFault, type FaultContext, type FaultKind } from './types.ts';

export const Ms = z.number().int().min(0).max(3_600_000);
export const LinkRef = z.object({
  from: z.string().min(1),
  to: z.string().min(1),
  /** One port of the link (e.g. "patroni"); all of them when absent. */
  port: z.string().min(1).optional(),
});
export type LinkRefSpec = z.infer<typeof LinkRef>;
const Stream = z.enum(['upstream', 'downstream', 'both']).default('both');
const Toxicity = z.number().min(0).max(1).default(1);

/** The Toxiproxy proxy names a link reference selects. */
export function proxiesOf(t: Target, ref: LinkRefSpec): string[] {
  const link = findLink(t, ref.from, ref.to);
  const ps = ref.port ? link.proxies.filter((p) => p.port === ref.port) : link.proxies;
  if (ref.port && ps.length === 0) {
    throw new FaultlineError(ErrorCodes.UNKNOWN_LINK, `link ${link.id} has no port "${ref.port}"`, `use one of: ${link.proxies.map((p) => p.port).join(', ')}, or leave port out for all`);
  }
  return ps.map((p) => p.name);
}

/** Toxic names start with fl-<runId>- so `faultline reset` can find every one a run left. */
export const toxicPrefix = (runId: string): string => `fl-${runId}-`;

export async function addToxics(ctx: FaultContext, proxies: string[], id: string, toxic: Omit<ToxicSpec, 'name' | 'stream'>, stream: 'upstream' | 'downstream' | 'both'): Promise<() => Promise<void>> {
  const streams = stream === 'both' ? (['upstream', 'downstream'] as const) : [stream];
  const added: { proxy: string; name: string }[] = [];
  const heal = once(async () => {
    for (const a of [...added].reverse()) await ctx.toxiproxy.removeToxic(a.proxy, a.name);
  });
  try {
    for (const proxy of proxies) {
      for (const s of streams) {
        const name = `${toxicPrefix(ctx.runId)}${id}-${s}`;
        added.push({ proxy, name }); // before the call: a half-done add is still healed
        await ctx.toxiproxy.addToxic(proxy, { ...toxic, name, stream: s });
      }
    }
  } catch (err) {
    await heal();
    throw err;
  }
  return heal;
}

/** A link fault kind backed by one Toxiproxy toxic type: its own attributes, mapped to the toxic's. */
export function toxicKind<K extends string, A extends z.ZodRawShape>(kind: K, type: ToxicSpec['type'], attrs: A, map: (a: z.infer<z.ZodObject<A>>) => Record<string, number>) {
  const schema = z.object({ kind: z.literal(kind), link: LinkRef, stream: Stream, toxicity: Toxicity, ...attrs }).strict();
  // `satisfies`, not a type annotation: the schema keeps its type, from which the registry
  // derives the fault specs a user may write (FaultInput).
  return {
    kind,
    schema,
    async inject(raw, ctx, id): Promise<ActiveFault> {
      // The schema has already checked and defaulted it (see the interpreter).
      const spec = raw as { link: LinkRefSpec; stream: 'upstream' | 'downstream' | 'both'; toxicity: number };
      const attributes = map(raw as z.infer<z.ZodObject<A>>);
      const heal = await addToxics(ctx, proxiesOf(ctx.target, spec.link), id, { type, toxicity: spec.toxicity, attributes }, spec.stream);
      const where = `${spec.link.from} -> ${spec.link.to}${spec.link.port ? `:${spec.link.port}` : ''}`;
      return { id, kind, description: `${kind} ${JSON.stringify(attributes)} on ${where} (${spec.stream}${spec.toxicity < 1 ? `, toxicity ${spec.toxicity}` : ''})`, injectedAt: Date.now(), heal };
    },
  } satisfies FaultKind<unknown>;
}
