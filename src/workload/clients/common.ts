// Fields and checks every one-lane client kind shares: its lane's name, the target store its
// writes land in (the ledger column they are counted in), and the loopback rule for endpoints.
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import type { Target } from '../../config/target.ts';
import { isLoopback } from '../../runtime/endpoints.ts';
import { laneOf, type CheckContext } from './types.ts';

export const LaneName = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, and . _ - only').max(40);

export const laneFields = {
  /** The lane's name in the history and the reports (default: the kind). */
  name: LaneName.optional(),
  /** The target store its writes land in: failover recovery counts its writes for that store, and the ledger's column is named for it. */
  store: z.string().min(1).optional(),
};

/** The ledger column of a one-lane client: the store it names or writes to, else its own name. */
export const columnOf = (c: { kind: string; name?: string | undefined; store?: string | undefined }, derived?: string): string => c.store ?? derived ?? laneOf(c);

/** A named store must exist (and be of `kind` when given); an unnamed one must not be mistaken for the lane. */
export function storeProblems(c: { kind: string; name?: string | undefined; store?: string | undefined }, ctx: CheckContext, kind?: string): ErrorDetail[] {
  const t = ctx.target;
  if (c.store !== undefined) {
    const s = t.stores[c.store];
    if (!s) return [{ path: `${ctx.path}.store`, message: `no store "${c.store}" in ${t.projectName}`, fix: `use one of: ${Object.keys(t.stores).join(', ') || '(none declared)'}` }];
    const ofKind = kind === undefined || s.members.some((m) => t.nodes[m]?.kind === kind);
    return ofKind ? [] : [{ path: `${ctx.path}.store`, message: `store "${c.store}" has no ${kind} members`, fix: `use one of: ${storesOfKind(t, kind!).join(', ') || `(none: the target has no ${kind} store)`}` }];
  }
  return [];
}

/** A lane counted in its own column (it writes no store of the target) must not share its name with a target store. */
export function laneColumnProblems(c: { kind: string; name?: string | undefined; store?: string | undefined }, derivedStore: string | undefined, ctx: CheckContext): ErrorDetail[] {
  const lane = laneOf(c);
  if (c.store !== undefined || derivedStore !== undefined || !ctx.target.stores[lane]) return [];
  return [{ path: `${ctx.path}.name`, message: `"${lane}" is the name of a store of ${ctx.target.projectName}, and this client does not write it`, fix: `set ${ctx.path}.store: '${lane}' if its writes land there, or give the client another name` }];
}

export const storesOfKind = (t: Target, kind: string): string[] => Object.entries(t.stores).filter(([, s]) => s.members.some((m) => t.nodes[m]?.kind === kind)).map(([n]) => n);

export function loopbackProblems(url: string, path: string, allowRemote: boolean): ErrorDetail[] {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return [{ path, message: `${JSON.stringify(url)} is not a URL`, fix: 'write an absolute URL, e.g. http://127.0.0.1:3000/writes' }];
  }
  return allowRemote || isLoopback(host) ? [] : [{ path, message: `${host} is not a loopback address`, fix: 'use a published port on 127.0.0.1, or set safety.allowRemoteEndpoints: true' }];
}
