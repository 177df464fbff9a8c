// Partitions relative to a quorum group (etcd members, Sentinels): `majority_minority` cuts a
// minority of the group (given, or the first floor((n-1)/2) by name) off from everyone else;
// `bridge` splits the rest of the group in two halves that only the bridge node sees both of.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { FaultKind } from './types.ts';
import { blackhole, cutsBetween } from './partition-cut.ts';

const Group = z.union([z.object({ kind: z.string().min(1) }).strict(), z.array(z.string().min(1)).min(3)]);
type GroupSpec = z.infer<typeof Group>;

function members(t: Target, g: GroupSpec): string[] {
  const ms = Array.isArray(g) ? g : Object.entries(t.nodes).filter(([, n]) => n.kind === g.kind).map(([name]) => name);
  const unknown = ms.filter((m) => !t.nodes[m]);
  if (unknown.length) throw new FaultlineError(ErrorCodes.UNKNOWN_NODE, `not nodes of ${t.projectName}: ${unknown.join(', ')}`, `use nodes from: ${Object.keys(t.nodes).join(', ')}`);
  if (ms.length < 3) throw new FaultlineError(ErrorCodes.BAD_INPUT, `a quorum group needs 3 or more members; got ${ms.join(', ') || 'none'}`, 'name the group by node kind ({ kind: "etcd" }) or list its members');
  return [...ms].sort();
}

export const majorityMinority = {
  kind: 'majority_minority',
  schema: z.object({ kind: z.literal('majority_minority'), group: Group, minority: z.array(z.string().min(1)).min(1).optional() }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { group: GroupSpec; minority?: string[] };
    const group = members(ctx.target, spec.group);
    const minority = spec.minority ?? group.slice(0, Math.floor((group.length - 1) / 2));
    if (minority.some((m) => !group.includes(m)) || minority.length * 2 >= group.length) {
      throw new FaultlineError(ErrorCodes.BAD_INPUT, `minority ${minority.join(', ')} is not a strict minority of ${group.join(', ')}`, `pick fewer than ${Math.ceil(group.length / 2)} members of the group`);
    }
    const cuts = cutsBetween(ctx.target.links, (n) => minority.includes(n), (n) => !minority.includes(n));
    const heal = await blackhole(ctx, id, cuts);
    return { id, kind: 'majority_minority', description: `minority ${minority.join(', ')} cut off from the rest (${cuts.length} links)`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;

export const bridge = {
  kind: 'bridge',
  schema: z.object({ kind: z.literal('bridge'), group: Group, bridge: z.string().min(1) }).strict(),
  async inject(raw, ctx, id) {
    const spec = raw as { group: GroupSpec; bridge: string };
    const group = members(ctx.target, spec.group);
    if (!group.includes(spec.bridge)) throw new FaultlineError(ErrorCodes.BAD_INPUT, `bridge ${spec.bridge} is not in the group ${group.join(', ')}`, 'pick the bridge from the group');
    const rest = group.filter((m) => m !== spec.bridge);
    const half = rest.slice(0, Math.ceil(rest.length / 2));
    const other = rest.filter((m) => !half.includes(m));
    const cuts = cutsBetween(ctx.target.links, (n) => half.includes(n), (n) => other.includes(n));
    const heal = await blackhole(ctx, id, cuts);
    return { id, kind: 'bridge', description: `${half.join('+')} | ${other.join('+')}, bridged by ${spec.bridge} (${cuts.length} links)`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;
