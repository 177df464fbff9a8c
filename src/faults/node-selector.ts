// Resolving a node selector (src/config/node-selector.ts) against the live system: a name is
// checked against the target; a role is asked of the store's members at injection time.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { NodeSelectorSpec } from '../config/node-selector.ts';
import { storeRoles } from '../mesh/roles.ts';

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
