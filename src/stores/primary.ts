// Whom a role selector means. A managed store's primary is the one its manager names (Patroni's
// leader, the Sentinel majority's master), not whichever members claim the role: a restarted old
// Redis master says "master" for seconds after the Sentinels chose another. A store without a
// manager has a primary only when exactly one member claims it. Both views are kept, so where they
// disagree the journal can say so.
import type { Target } from '../config/target.ts';
import { describeMember, type MemberView } from './member-view.ts';
import { storeCtx } from './registry.ts';
import type { ManagerView } from './types.ts';

export interface RoleViews {
  store: string;
  kind: string;
  /** Each member's own answer. */
  members: Map<string, MemberView>;
  /** The manager's answer, for a kind that has one. */
  manager?: ManagerView;
}

export interface Resolved {
  /** The member meant, or undefined with `why`. */
  node?: string;
  why?: string;
  /** Whose answer chose it. */
  by: 'manager' | 'members';
  /** The manager names another primary than the one member claiming it (or several, or none, claim it). */
  disagree: boolean;
  views: RoleViews;
}

export async function roleViews(t: Target, store: string): Promise<RoleViews> {
  const { kind, ctx } = storeCtx(t, store);
  const [members, manager] = await Promise.all([kind.members(ctx), kind.manager?.(ctx)]);
  return { store, kind: kind.kind, members, ...(manager ? { manager } : {}) };
}

const claiming = (v: RoleViews, role: string): string[] => [...v.members].filter(([, m]) => m.role === role).map(([n]) => n);
const membersSay = (v: RoleViews): string => [...v.members].map(([m, x]) => describeMember(m, x)).join('; ');

export function choosePrimary(v: RoleViews): Resolved {
  const claims = claiming(v, 'primary');
  if (v.manager) {
    const disagree = !(claims.length === 1 && claims[0] === v.manager.primary);
    if (v.manager.changing) return { why: `${v.store}'s manager is moving its primary right now (${v.manager.changing}); its members say: ${membersSay(v)}`, by: 'manager', disagree, views: v };
    if (v.manager.primary) return { node: v.manager.primary, by: 'manager', disagree, views: v };
    return { why: `${v.store}'s manager names no primary right now (${v.manager.by}); its members say: ${membersSay(v)}`, by: 'manager', disagree, views: v };
  }
  if (claims.length === 1) return { node: claims[0]!, by: 'members', disagree: false, views: v };
  return { why: `${v.store} has ${claims.length} members saying primary right now (${membersSay(v)}), and no manager to name one`, by: 'members', disagree: false, views: v };
}

/** A replica: one streaming from the primary; else one configured as a replica but not streaming yet; never the manager's primary. */
export function chooseReplica(v: RoleViews): Resolved {
  const notPrimary = (n: string) => n !== v.manager?.primary;
  const found = [...claiming(v, 'replica'), ...claiming(v, 'standby')].filter(notPrimary);
  return found[0] !== undefined ? { node: found[0], by: 'members', disagree: false, views: v } : { why: `${v.store} has no replica right now (${membersSay(v)})`, by: 'members', disagree: false, views: v };
}

/** Both views as journal data. */
export function viewsData(v: RoleViews): Record<string, unknown> {
  return {
    storeKind: v.kind,
    members: Object.fromEntries([...v.members].map(([m, x]) => [m, x.detail ? `${x.role} (${x.detail})` : x.role])),
    ...(v.manager ? { manager: { primary: v.manager.primary, by: v.manager.by, ...(v.manager.voices ? { voices: v.manager.voices } : {}), ...(v.manager.changing ? { changing: v.manager.changing } : {}), ...(v.manager.unsettled ? { unsettled: v.manager.unsettled } : {}) } } : {}),
  };
}
