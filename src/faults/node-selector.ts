// Which node a node fault hits. A name, or a role resolved at injection time (not when the
// experiment is written): "the current Postgres primary" is whoever Patroni says it is now.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import { storeRoles } from '../mesh/roles.ts';

export const NodeSelector = z.union([
  z.string().min(1),
  z.object({ primaryOf: z.string().min(1) }).strict(),
  z.object({ replicaOf: z.string().min(1) }).strict(),
]);
export type NodeSelectorSpec = z.infer<typeof NodeSelector>;

export const describeSelector = (s: NodeSelectorSpec): string =>
  typeof s === 'string' ? s : 'primaryOf' in s ? `the ${s.primaryOf} primary` : `a ${s.replicaOf} replica`;

export async function resolveNode(t: Target, s: NodeSelectorSpec, roleSource: (store: string) => Promise<Map<string, string>> = (st) => storeRoles(t, st)): Promise<string> {
  if (typeof s === 'string') {
    if (!t.nodes[s]) throw new FaultlineError(ErrorCodes.UNKNOWN_NODE, `"${s}" is not a node of ${t.projectName}`, `use one of: ${Object.keys(t.nodes).join(', ')}`);
    return s;
  }
  const store = 'primaryOf' in s ? s.primaryOf : s.replicaOf;
  if (!t.stores[store]) throw new FaultlineError(ErrorCodes.BAD_INPUT, `no store "${store}" in ${t.projectName}`, `use one of: ${Object.keys(t.stores).join(', ')}`);
  const roles = await roleSource(store);
  const want = 'primaryOf' in s ? 'primary' : 'replica';
  // A replica that is not streaming yet (starting, reconnecting) is still the store's replica node.
  const found = [...roles].filter(([, r]) => r === want).map(([m]) => m);
  if (want === 'replica' && !found.length) found.push(...[...roles].filter(([, r]) => r === 'standby').map(([m]) => m));
  if (found.length !== 1 && want === 'primary') {
    throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${store} has ${found.length} primaries right now (${[...roles].map(([m, r]) => `${m}: ${r}`).join(', ')})`, 'wait for the store to settle (faultline status), then run again');
  }
  if (!found[0]) throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${store} has no ${want} right now`, 'check faultline status');
  return found[0];
}

/** The zone a selector's node is in, e.g. "the zone holding the primary". */
export async function resolveZone(t: Target, s: NodeSelectorSpec | { zone: string }, roleSource?: (store: string) => Promise<Map<string, string>>): Promise<string> {
  if (typeof s === 'object' && 'zone' in s) return s.zone;
  return t.nodes[await resolveNode(t, s, roleSource)]!.zone;
}
