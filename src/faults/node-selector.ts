// Resolving a node selector (src/config/node-selector.ts) against the live system: a name is
// checked against the target; a role is asked of the store when the fault is injected: its
// manager's primary where its kind has a manager, else the one member claiming it; a manager
// that names none, or says it is moving it, is waited for (bounded). Every role resolved is noted
// (the journal's `role-resolved`), with both views and how long it waited.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { NodeSelectorSpec } from '../config/node-selector.ts';
import { MANAGER_SETTLE_MS, resolveRoleSettled } from '../mesh/roles.ts';
import { viewsData } from '../stores/primary.ts';

export type RoleSource = (store: string) => Promise<Map<string, string>>;
export type Note = (type: string, data: Record<string, unknown>) => void;

/** Dry runs (validation) hand in made-up roles: the role as the map says, no manager. */
function fromMap(store: string, roles: Map<string, string>, want: 'primary' | 'replica'): string {
  // A replica that is not streaming yet (starting, reconnecting) is still the store's replica node.
  const found = [...roles].filter(([, r]) => r === want).map(([m]) => m);
  if (want === 'replica' && !found.length) found.push(...[...roles].filter(([, r]) => r === 'standby').map(([m]) => m));
  if (found.length !== 1 && want === 'primary') {
    throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${store} has ${found.length} primaries right now (${[...roles].map(([m, r]) => `${m}: ${r}`).join(', ')})`, 'wait for the store to settle (faultline status), then run again');
  }
  if (!found[0]) throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${store} has no ${want} right now`, 'check faultline status');
  return found[0];
}

/** `settleMs`: how long to wait for a store's manager to name a settled primary (0 for a probe, which must answer in its own timeout). */
export async function resolveNode(t: Target, s: NodeSelectorSpec, roleSource?: RoleSource, note?: Note, settleMs = MANAGER_SETTLE_MS): Promise<string> {
  if (typeof s === 'string') {
    if (!t.nodes[s]) throw new FaultlineError(ErrorCodes.UNKNOWN_NODE, `"${s}" is not a node of ${t.projectName}`, `use one of: ${Object.keys(t.nodes).join(', ')}`);
    return s;
  }
  const store = 'primaryOf' in s ? s.primaryOf : s.replicaOf;
  if (!t.stores[store]) throw new FaultlineError(ErrorCodes.BAD_INPUT, `no store "${store}" in ${t.projectName}`, `use one of: ${Object.keys(t.stores).join(', ')}`);
  const want = 'primaryOf' in s ? 'primary' : 'replica';
  if (roleSource) return fromMap(store, await roleSource(store), want);
  const r = await resolveRoleSettled(t, store, want, settleMs);
  note?.('role-resolved', {
    selector: s, store, node: r.node ?? null, by: r.by, disagree: r.disagree, ...(r.why ? { why: r.why } : {}),
    ...(r.waitedMs !== undefined ? { waitedMs: r.waitedMs, ...(r.firstWhy ? { firstWhy: r.firstWhy } : {}) } : {}), ...viewsData(r.views),
  });
  if (!r.node && r.by === 'manager' && settleMs > 0) {
    throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${r.why!}, still after ${Math.round(settleMs / 1000)} s`,
      `let the failover end before this step (e.g. a waitUntil on ${store}'s role), or name the node instead of ${'primaryOf' in s ? 'primaryOf' : 'replicaOf'}`);
  }
  if (!r.node) throw new FaultlineError(ErrorCodes.MESH_NOT_UP, r.why!, 'wait for the store to settle (faultline status), then run again');
  return r.node;
}

/** The zone a selector's node is in, e.g. "the zone holding the primary". */
export async function resolveZone(t: Target, s: NodeSelectorSpec | { zone: string }, roleSource?: RoleSource, note?: Note): Promise<string> {
  if (typeof s === 'object' && 'zone' in s) return s.zone;
  return t.nodes[await resolveNode(t, s, roleSource, note)]!.zone;
}
