// Cleanup is verified, not assumed: look for anything of this run's still in place, clear it,
// look again. What remains makes the cleanup verdict "failed".
import type { CleanupResult } from '../core/run-result.ts';
import type { Target } from '../config/target.ts';
import { clearLeftovers, describeLeftovers, findLeftovers, isEmpty } from './leftovers.ts';

export type { CleanupResult } from '../core/run-result.ts';

export async function verifyCleanup(t: Target, runId: string, touched: Iterable<string>, healErrors: string[]): Promise<CleanupResult> {
  let healed: string[] = [];
  let remaining: string[] = [];
  try {
    const found = await findLeftovers(t, runId, touched);
    if (!isEmpty(found)) {
      await clearLeftovers(t, found).catch(() => undefined);
      healed = describeLeftovers(found);
      remaining = describeLeftovers(await findLeftovers(t, runId, touched));
    }
  } catch (e) {
    remaining.push(`could not verify: ${(e as Error).message}`);
  }
  return { verdict: remaining.length ? 'failed' : 'ok', healErrors, leftoversHealed: healed, leftoversRemaining: remaining };
}
