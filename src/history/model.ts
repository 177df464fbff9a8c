// The recorded history of one run, rebuilt from its journal: what the checks judge and the
// reports draw. Times (`t`, `*T`) are ms since the run started, from the run's monotonic clock.
import type { Entry } from './journal.ts';

/** One workload operation, from invoke to its outcome. */
export interface Op {
  id: string;
  /** Who carried it: an app node ("app-a"), or a store when written straight to it. */
  client: string;
  /** When the open-loop schedule said to send it; latency counts from here, so a stall is not hidden. */
  scheduledT: number;
  sentT: number;
  endT: number | null;
  /** indeterminate: sent, then timed out or lost the connection, so it may or may not have happened. */
  outcome: 'ok' | 'fail' | 'indeterminate' | 'pending';
  status?: number;
  error?: string;
  /** The store node that says it took the write (the app names the Postgres node). */
  node?: string;
  /** The stores it writes to (an app write goes to both; a direct write to one). */
  stores?: string[];
}

/** A change seen by an observer: a node's role or health as one source reports it. */
export interface Observation {
  t: number;
  source: 'patroni' | 'pg-recovery' | 'redis-role' | 'sentinel' | 'app-ready' | 'dcs-leader' | 'haproxy';
  /** The node observed (for `sentinel`: the Sentinel asked). */
  node: string;
  store?: string;
  /** e.g. "primary", "replica", "down"; for sentinel the master it names; for app-ready "ready"/"not-ready". */
  value: string;
  /** For a `patroni` primary: its timeline, so primaries can be ordered by promotion. */
  epoch?: number;
}

export interface SentinelEvent { t: number; sentinel: string; channel: string; message: string }

export interface FaultSpan {
  id: string;
  kind: string;
  description: string;
  start: number;
  end: number | null;
  /** Nodes the fault touched: nodes it acted on, and both ends of links it faulted. */
  nodes: string[];
}

/** After healing: every acknowledged write (and every indeterminate one) read back from the final primary. */
export interface LedgerEntry { id: string; acked: boolean; found: { postgres: boolean | null; redis: boolean | null } }
export interface Ledger { t: number; primary: Record<string, string | null>; entries: LedgerEntry[] }

export interface History {
  experiment: string;
  runId: string;
  wallClock: string;
  faults: FaultSpan[];
  ops: Op[];
  observations: Observation[];
  sentinelEvents: SentinelEvent[];
  ledger: Ledger | null;
  /** The last journal time: where open intervals end. */
  endT: number;
  complete: boolean;
}

/** Rebuild the history from journal lines (pure; tolerant of a journal cut short by a crash). */
export function buildHistory(entries: Entry[]): History {
  const start = entries.find((e) => e.type === 'run-start');
  const h: History = {
    experiment: String(start?.experiment ?? ''), runId: String(start?.runId ?? ''), wallClock: String(start?.wallClock ?? ''),
    faults: [], ops: [], observations: [], sentinelEvents: [], ledger: null, endT: 0, complete: entries.some((e) => e.type === 'run-end'),
  };
  const ops = new Map<string, Op>();
  const faults = new Map<string, FaultSpan>();
  const touched = new Map<string, Set<string>>();
  const starts = new Map<string, number>();
  for (const e of entries) {
    if (typeof e.t === 'number') h.endT = Math.max(h.endT, e.t);
    switch (e.type) {
      case 'op-invoke':
        ops.set(String(e.op), { id: String(e.op), client: String(e.client), scheduledT: Number(e.scheduledT), sentT: e.t, endT: null, outcome: 'pending', ...(Array.isArray(e.stores) ? { stores: e.stores as string[] } : {}) });
        break;
      case 'op-end': {
        const op = ops.get(String(e.op));
        if (op) Object.assign(op, { endT: e.t, outcome: e.outcome, ...(e.status !== undefined ? { status: e.status } : {}), ...(e.error ? { error: e.error } : {}), ...(e.node ? { node: e.node } : {}) });
        break;
      }
      case 'observe':
        h.observations.push({ t: e.t, source: e.source as Observation['source'], node: String(e.node), value: String(e.value), ...(e.store ? { store: String(e.store) } : {}), ...(typeof e.epoch === 'number' ? { epoch: e.epoch } : {}) });
        break;
      case 'sentinel-event':
        h.sentinelEvents.push({ t: e.t, sentinel: String(e.sentinel), channel: String(e.channel), message: String(e.message) });
        break;
      case 'touch': {
        const key = String(e.key);
        const ns = touched.get(String(e.id)) ?? new Set<string>();
        if (key.startsWith('node:')) ns.add(key.slice(5));
        if (key.startsWith('rule:')) ns.add(key.split(':')[1]!);
        // toxic:<client>--<server>--<port>:… and proxy:<client>--<server>--<port>
        const proxy = /^(?:toxic|proxy):([^:]+)/.exec(key)?.[1];
        if (proxy) proxy.split('--').slice(0, 2).forEach((n) => ns.add(n));
        touched.set(String(e.id), ns);
        break;
      }
      // A fault starts when its injection starts: a SIGKILL takes effect before the call returns.
      case 'fault-inject':
        starts.set(String(e.id), e.t);
        break;
      case 'fault-injected':
        faults.set(String(e.id), { id: String(e.id), kind: String(e.kind ?? ''), description: String(e.description), start: starts.get(String(e.id)) ?? e.t, end: null, nodes: [...(touched.get(String(e.id)) ?? [])] });
        break;
      case 'fault-healed': {
        const f = faults.get(String(e.id));
        if (f) f.end = e.t;
        break;
      }
      case 'ledger':
        h.ledger = { t: e.t, primary: e.primary as Ledger['primary'], entries: e.entries as LedgerEntry[] };
        break;
    }
  }
  h.ops = [...ops.values()];
  h.faults = [...faults.values()];
  return h;
}
