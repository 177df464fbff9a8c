// Store kind `patroni`: Postgres under Patroni. Each member answers for itself on GET /patroni;
// the manager is Patroni's leader key in the DCS (/cluster); the primary is moved by Patroni's own
// switchover. Observed by each member's Patroni state (from its DCS key, or GET /patroni) and its
// Postgres's pg_is_in_recovery(), the answer that says whether it takes writes.
import { z } from 'zod';
import type { TargetNode } from '../config/target.ts';
import { hostPort } from './ask-node.ts';
import { membersOfKind, membersPublish } from './member-ports.ts';
import { patroniCluster, patroniManager, patroniSelves, patroniViews } from './patroni-members.ts';
import { defineStoreKind, type Capability } from './types.ts';

const ALL: ReadonlySet<Capability> = new Set(['primary', 'replicas', 'upstreams', 'manager', 'place', 'observe']);

/** How long a candidate may take to become the synchronous standby Patroni will switch over to. */
const SYNC_STANDBY_WAIT_MS = 45_000;

async function switchover(host: string, members: TargetNode[], leader: string, candidate: string): Promise<void> {
  const via = members.find((n) => n.name === leader)!;
  const t0 = performance.now();
  for (;;) {
    const r = await fetch(`http://${host}:${hostPort(via, 'patroni')}/switchover`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ leader, candidate }), signal: AbortSignal.timeout(30_000),
    });
    if (r.ok) return;
    const why = (await r.text()).trim().slice(0, 200);
    // In synchronous mode Patroni switches over only to the sync standby, and names one a loop or
    // two after a replica starts streaming (after a failover or a switch back from asynchronous
    // replication): wait for that, bounded; any other refusal is final.
    const notSyncYet = r.status === 412 && why.includes('sync_standby');
    if (!notSyncYet || performance.now() - t0 > SYNC_STANDBY_WAIT_MS) {
      throw new Error(`Patroni refused the switchover ${leader} -> ${candidate}: HTTP ${r.status} ${why}${notSyncYet ? ` (still after ${Math.round(SYNC_STANDBY_WAIT_MS / 1000)} s)` : ''}`);
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
}

export default defineStoreKind({
  kind: 'patroni',
  title: 'Postgres under Patroni',
  schema: z.object({}).loose(),
  offers: { primary: '', replicas: '', upstreams: '', manager: '', place: '', observe: '' },
  capabilities: () => ALL,
  check: (t, name, store) => membersPublish(t, name, store, 'patroni', "the patroni kind asks Patroni's REST API on"),
  infer: (t, store) => membersOfKind(t, store, 'postgres') && store.members.every((m) => t.nodes[m]!.hostPorts.patroni !== undefined),
  async members(ctx) {
    const [selves, cluster] = await Promise.all([patroniSelves(ctx.target, ctx.members), patroniCluster(ctx.target, ctx.members)]);
    return patroniViews(ctx.members.map((n) => n.name), selves, cluster?.members);
  },
  manager: async (ctx) => patroniManager(await patroniCluster(ctx.target, ctx.members)),
  placement: { how: 'patroni switchover', move: (ctx, from, to) => switchover(ctx.target.host, ctx.members, from, to) },
  sources: () => [['patroni', 'patroni'], ['pg-recovery', 'postgres']],
  roleSource: () => 'pg-recovery',
});
