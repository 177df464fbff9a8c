// What a run records besides faults: the workload's writes (op-invoke / op-end), the observers'
// role changes and Sentinel events, and what the observers could not watch (observe-skip), all
// stamped with the journal's monotonic clock.
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import type { Journal } from '../history/journal.ts';
import { startOpenLoop } from '../workload/open-loop.ts';
import { openClient } from '../workload/clients/open.ts';
import { startObservers } from '../stores/observers.ts';

export interface WorkloadStats { sent: number; ok: number; failed: number; indeterminate: number; clientBugs: number; inFlight: number }
/** stop() ends the writes; the client stays open for the ledger's readBack until close(). */
export interface Recording { stop(): Promise<void>; close(): Promise<void>; readBack?: (ids: string[]) => Promise<Set<string>>; stats(): WorkloadStats }

export async function recordWorkload(t: Target, w: Workload, journal: Journal, runId: string): Promise<Recording> {
  const client = await openClient(t, w);
  const stats = { ok: 0, failed: 0, indeterminate: 0, clientBugs: 0 };
  const loop = startOpenLoop({
    rate: w.rate,
    clients: client.lanes,
    idPrefix: runId,
    maxInFlight: Math.max(50, Math.ceil(w.rate * (w.timeout / 1000) * 2)),
    now: () => journal.now(),
    send: client.send,
    sink: {
      invoke: (op) => journal.write('op-invoke', { op: op.id, client: op.client, scheduledT: op.scheduledT, stores: client.storesOf(op.client) }),
      end: (op) => {
        stats[op.outcome === 'ok' ? 'ok' : op.outcome === 'fail' ? 'failed' : op.outcome === 'client-bug' ? 'clientBugs' : 'indeterminate']++;
        const { id, ...rest } = op;
        journal.write('op-end', { op: id, ...rest });
      },
    },
  });
  let stopping: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  // Both idempotent: the runner stops it after the cool-down and closes it after the ledger, and does both again on any way out.
  const stop = () => (stopping ??= loop.stop());
  return {
    stop,
    close: () => (closing ??= stop().then(() => client.close()).catch(() => undefined)),
    ...(client.readBack ? { readBack: client.readBack } : {}),
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
