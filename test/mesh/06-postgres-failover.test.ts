// SIGKILL of the Postgres primary: Patroni promotes the replica and writes through HAProxy resume.
import { describe, expect, it } from 'vitest';
import { currentPrimary } from '../../src/index.ts';
import { hostPort, nodes, target, waitFor, waitHealthy } from './helpers.ts';
import { firstOkAfter, startWriter } from './writer.ts';

describe('Postgres primary killed', () => {
  it('is replaced by Patroni and writes through HAProxy resume on the new primary', async () => {
    const primary = (await currentPrimary(target, 'postgres'))!;
    const replica = target.stores.postgres!.members.find((m) => m !== primary)!;
    const writer = startWriter(['app-a', 'app-b'], 50, 'pg-fo');
    await new Promise((r) => setTimeout(r, 500));

    const t0 = performance.now();
    await nodes.kill(primary, 'SIGKILL');
    await waitFor(`Patroni on ${replica} answering /primary`, async () => {
      const r = await fetch(`http://${target.host}:${hostPort(replica, 'patroni')}/primary`, { signal: AbortSignal.timeout(500) });
      return r.status === 200;
    }, 40_000, 20);
    const promoted = performance.now() - t0;

    await waitFor('writes on the new primary through both apps', async () =>
      ['app-a', 'app-b'].every((a) => firstOkAfter(writer.outcomes, a, t0, (o) => o.node === replica) !== undefined), 20_000, 50);
    const outcomes = await writer.stop();
    const recovered = Math.max(...['app-a', 'app-b'].map((a) => firstOkAfter(outcomes, a, t0, (o) => o.node === replica)!)) - t0;
    const failed = outcomes.filter((o) => o.at >= t0 && !o.ok).length;
    console.log(`[postgres-failover] ${primary} SIGKILLed: ${replica} promoted after ${Math.round(promoted)} ms; ` +
      `writes through HAProxy on ${replica} from both apps after ${Math.round(recovered)} ms; ${failed} writes failed meanwhile`);
    // The leader key's ttl is 20 s (Patroni 4's minimum), renewed every loop_wait (1 s): the replica
    // takes over about ttl after the last renewal, plus a loop (measured 21.7 s at load 60 on 2 cores).
    expect(promoted).toBeLessThan(30_000);
    expect(outcomes.filter((o) => o.ok && o.at > t0 + recovered).every((o) => o.node === replica)).toBe(true);

    await nodes.start(primary);
    await waitFor(`${primary} back as a replica`, async () => {
      const r = await fetch(`http://${target.host}:${hostPort(primary, 'patroni')}/replica`, { signal: AbortSignal.timeout(1000) });
      return r.status === 200;
    }, 60_000, 250);
    await waitHealthy();
  });
});
