// What a run records besides faults: the workload's writes (op-invoke / op-end), the observers'
// role changes and Sentinel events, and what the observers could not watch (observe-skip), all
// stamped with the journal's monotonic clock.
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import type { Journal } from '../history/journal.ts';
import { appWriter } from '../workload/app-writes.ts';
import { startOpenLoop, type Send } from '../workload/open-loop.ts';
import { postgresWriter, redisWriter } from '../workload/store-writes.ts';
import { storeOfKind } from '../workload/store-of-kind.ts';
import { startObservers } from '../stores/observers.ts';

export interface WorkloadStats { sent: number; ok: number; failed: number; indeterminate: number; inFlight: number }
export interface Recording { stop(): Promise<void>; stats(): WorkloadStats }

/** Which of the target's stores a client's writes go to: an app writes its Postgres and Redis stores, a direct client only its own kind's. */
function storesOfClient(t: Target, client: string): string[] {
  const kinds = client === 'postgres' || client === 'redis' ? [client] : ['postgres', 'redis'];
  return kinds.map((k) => storeOfKind(t, k)).filter((s): s is string => s !== undefined);
}

export function recordWorkload(t: Target, w: Workload, journal: Journal, runId: string): Recording {
  const byClient = new Map<string, string[]>();
  const storesOf = (client: string) => byClient.get(client) ?? byClient.set(client, storesOfClient(t, client)).get(client)!;
  const apps = appWriter(t, w.timeout);
  const direct = { ...(w.direct.includes('postgres') ? { postgres: postgresWriter(t, w) } : {}), ...(w.direct.includes('redis') ? { redis: redisWriter(t, w) } : {}) } as Record<string, ReturnType<typeof postgresWriter>>;
  const send: Send = (client, id) => (direct[client] ?? apps).send(client, id);
  const stats = { ok: 0, failed: 0, indeterminate: 0 };
  const loop = startOpenLoop({
    rate: w.rate,
    clients: [...(w.via ?? Object.keys(t.externalClient?.hostPorts ?? {})), ...w.direct],
    idPrefix: runId,
    maxInFlight: Math.max(50, Math.ceil(w.rate * (w.timeout / 1000) * 2)),
    now: () => journal.now(),
    send,
    sink: {
      invoke: (op) => journal.write('op-invoke', { op: op.id, client: op.client, scheduledT: op.scheduledT, stores: storesOf(op.client) }),
      end: (op) => {
        stats[op.outcome === 'ok' ? 'ok' : op.outcome === 'fail' ? 'failed' : 'indeterminate']++;
        const { id, ...rest } = op;
        journal.write('op-end', { op: id, ...rest });
      },
    },
  });
  let stopping: Promise<void> | undefined;
  return {
    // Idempotent: the runner stops it after the cool-down, and again on any way out.
    stop: () => (stopping ??= (async () => {
      await loop.stop();
      await Promise.all([apps.close(), ...Object.values(direct).map((d) => d.close())]);
    })()),
    stats: () => ({ sent: loop.sent(), ...stats, inFlight: loop.inFlight() }),
  };
}

export async function recordObservations(t: Target, journal: Journal): Promise<{ stop(): Promise<void>; primaries(): Record<string, string | null> }> {
  const obs = await startObservers(t, {
    observe: (o) => journal.write('observe', { ...o }),
    sentinelEvent: (e) => journal.write('sentinel-event', { ...e }),
  });
  for (const s of obs.skipped) journal.write('observe-skip', { ...s });
  return {
    stop: () => obs.stop(),
    // The node each store's members say is primary right now (by the node's own role source).
    primaries: () => {
      const current = obs.current();
      return Object.fromEntries(Object.entries(t.stores).map(([store, s]) => {
        const p = s.members.filter((m) => [...current].some(([k, v]) => k.startsWith(`${m}:`) && v === 'primary'));
        return [store, p.length ? p.join('+') : null];
      }));
    },
  };
}
