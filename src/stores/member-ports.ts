// The ports a kind asks its members on: every member must publish them, or the kind cannot ask.
import type { ErrorDetail } from '../core/errors.ts';
import type { Store, TargetFile } from '../config/target.ts';

export function membersPublish(t: TargetFile, name: string, store: Store, port: string, why: string): ErrorDetail[] {
  return store.members.flatMap((m) => {
    const n = t.nodes[m];
    if (!n || n.hostPorts[port] !== undefined) return [];
    return [{ path: `nodes.${m}.hostPorts.${port}`, message: `${m}, a member of store ${name}, publishes no "${port}" port, which ${why}`, fix: `publish it on the host and add "${port}" to its hostPorts` }];
  });
}

/** Every member of the store is a node of this node kind. */
export const membersOfKind = (t: TargetFile, store: Store, nodeKind: string): boolean =>
  store.members.length > 0 && store.members.every((m) => t.nodes[m]?.kind === nodeKind);
