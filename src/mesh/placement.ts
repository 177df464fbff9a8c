// Put a store's primary on a chosen member before an experiment's timeline, so its verdict does
// not depend on where the primary happened to be: by the store kind's own move (Patroni's
// switchover, a Sentinel failover); then verified, as the harness always verifies, by asking the
// members themselves (the chosen one primary, every other one streaming from it) and the manager.
import type { PlacedPrimary } from '../core/run-result.ts';
import type { Target } from '../config/target.ts';
import { describeMember } from '../stores/member-view.ts';
import { choosePrimary, roleViews, type RoleViews } from '../stores/primary.ts';
import { MANAGER_SETTLE_MS } from './roles.ts';
import { storeCtx } from '../stores/registry.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How a store moves its primary, as its kind says; undefined: it cannot be moved. */
export function placementOf(t: Target, store: string): string | undefined {
  if (!t.stores[store]) return undefined;
  return storeCtx(t, store).kind.placement?.how;
}

/** What the members and the manager say, as one line: who is primary, who is not yet streaming, whom the manager names. */
async function placedYet(t: Target, store: string, wanted: string): Promise<string | undefined> {
  const v = await roleViews(t, store);
  const off = [...v.members].filter(([m, x]) => (m === wanted ? x.role !== 'primary' : x.role !== 'replica')).map(([m, x]) => describeMember(m, x));
  if (v.manager && v.manager.primary !== wanted) {
    const voices = v.manager.voices ? `: ${Object.entries(v.manager.voices).map(([k, x]) => `${k} ${x}`).join(', ')}` : '';
    off.push(`the manager (${v.manager.by}) names ${v.manager.primary ?? 'no primary'}${voices}`);
  }
  if (v.manager?.changing) off.push(`the manager is moving its primary (${v.manager.changing})`);
  if (v.manager?.unsettled) off.push(`the manager is not settled (${v.manager.unsettled})`);
  return off.join('; ') || undefined;
}

/**
 * Make `wanted` the primary of `store` and wait until the members and the manager agree (the
 * chosen one primary, every other one a streaming replica). Throws, saying what they said, when
 * it cannot within `timeoutMs`. The store and member are as validation checked them
 * (runner/validate.ts: a member of a store whose kind can place its primary).
 */
export async function placePrimary(t: Target, store: string, wanted: string, timeoutMs = 90_000): Promise<PlacedPrimary> {
  const { kind, ctx } = storeCtx(t, store);
  const how = kind.placement!;
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  // A manager mid-failover names the primary it is leaving, and one still finishing a failover
  // refuses a new one or hands it to a voice with a stale view: let it go quiet first (bounded;
  // placedYet judges after).
  const quiet = (v: RoleViews) => !v.manager || (v.manager.primary !== null && !v.manager.changing && !v.manager.unsettled);
  let v = await roleViews(t, store);
  while (!quiet(v) && ms() < MANAGER_SETTLE_MS) {
    await sleep(250);
    v = await roleViews(t, store);
  }
  const was = choosePrimary(v).node ?? null; // the manager's, where there is one: what it moves from
  if (was === wanted && !(await placedYet(t, store, wanted))) return { store, wanted, was, how: 'already', ms: ms() };
  if (was === null) throw new Error(`store ${store} has no single primary to move from: ${await placedYet(t, store, wanted)}`);
  if (was !== wanted) await how.move(ctx, was, wanted);
  let off: string | undefined;
  while ((off = await placedYet(t, store, wanted)) !== undefined) {
    if (ms() > timeoutMs) throw new Error(`${store}: ${wanted} is not the settled primary ${Math.round(timeoutMs / 1000)} s after the ${how.how}: ${off}`);
    await sleep(250);
  }
  return { store, wanted, was, how: was === wanted ? 'already' : how.how, ms: ms() };
}
