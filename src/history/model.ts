// The recorded history of one run, rebuilt from its journal: what the checks judge and the
// reports draw. Times (`t`, `*T`) are ms since the run started, from the run's monotonic clock.
// Built line by line (HistoryBuilder), so a journal of any size is read as a stream, and the live
// run and a later re-judge build the same history from the same lines.
import type { VariantsRecord } from '../core/run-result.ts';
import type { Entry } from './journal.ts';
import { OpTable, type Outcome } from './ops.ts';
import { INVOKE, STRIDE, type OpRowBatch } from './op-rows.ts';

export type { Op, Outcome } from './ops.ts';
export { OpTable } from './ops.ts';

/** A change seen by an observer: a node's role or health as one source reports it. */
export interface Observation {
  t: number;
  source: 'patroni' | 'pg-recovery' | 'redis-role' | 'role-probe' | 'sentinel' | 'app-ready' | 'dcs-leader' | 'haproxy';
  /** The node observed (for `sentinel`, `dcs-leader`, `haproxy`: the node asked, whose view `value` is). */
  node: string;
  store?: string;
  /** e.g. "primary", "replica", "down"; for sentinel/dcs-leader/haproxy the member it names; for app-ready "ready"/"not-ready". */
  value: string;
  /** Where the system numbers its promotions (Patroni's timeline): orders primaries by promotion. */
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

/** What one store's final primary said of the writes it was asked about. */
export interface LedgerStore {
  /** The node asked, or null when the store had no single primary to ask. */
  primary: string | null;
  /** How many ids were asked (every acknowledged or indeterminate write to this store). */
  asked: number;
  /** Asked ids it does not have. */
  missing: string[];
  /** Why it could not be read; the store's column is then unknown, never "lost". */
  error?: string;
}
export interface Ledger { t: number; stores: Record<string, LedgerStore> }

export interface ProbeRecord { t: number; phase: string; probe: string; ok: boolean; detail: string; path?: string }

/** The run's own account of itself: what the verdict rules need besides the SLOs. */
export interface RunRecord {
  probes: ProbeRecord[];
  timelineStopped: { t: number; reason: string; kind: string } | null;
  injectFailed: { id: string; error: string }[];
  healFailed: { id: string; error: string }[];
  cleanup: { verdict: 'ok' | 'failed'; remaining: string[] } | null;
  /** When every `after` probe passed again (null: never, or no such probe). */
  restoredT: number | null;
  /** A killed run healed later by `faultline reset` or the next run. */
  recoveredBy: string | null;
  /** `given.primaries` that could not be placed before the run (store, node, why). */
  placeFailed: { store: string; wanted: string; error: string }[];
  /** Each store's primary as the members said when the timeline started (null: none, or several); null when not recorded. */
  primariesAtStart: Record<string, string | null> | null;
  /** The variants asked for: in force (read back) or why not, and their revert; null when none. */
  variants: VariantsRecord | null;
}

/** What the checks need of a target's store, journaled at the start so the journal alone suffices. */
export interface StoreInfo {
  members: string[];
  /** Its members' node kind (journals before store kinds had only this). */
  kind: string;
  masterName?: string;
  consensus?: string[];
  /** The store kind (src/stores/) and the source whose answer says whether a member takes writes (none: its roles cannot be read). */
  storeKind?: string;
  roleSource?: Observation['source'];
}

export interface History {
  experiment: string;
  runId: string;
  wallClock: string;
  /** The experiment's SLOs and judging settings as journaled (raw; the caller parses them). */
  slos: unknown;
  judging: unknown;
  stores: Record<string, StoreInfo> | null;
  targetPath: string | null;
  faults: FaultSpan[];
  ops: OpTable;
  observations: Observation[];
  sentinelEvents: SentinelEvent[];
  /** Sources an observer could not watch, and why (e.g. no credentials for a Postgres store). */
  unobserved: { node: string; source: string; store?: string; reason: string }[];
  ledger: Ledger | null;
  run: RunRecord;
  /** The last evidence (an op, an observation, a fault event): where open windows end. */
  endT: number;
  /** Recording finished (`run-complete`, or `run-end` in older journals): without it the process died. */
  complete: boolean;
}

export class HistoryBuilder {
  private readonly h: History;
  private readonly touched = new Map<string, Set<string>>();
  private readonly starts = new Map<string, number>();
  private readonly faults = new Map<string, FaultSpan>();

  constructor() {
    this.h = {
      experiment: '', runId: '', wallClock: '', slos: {}, judging: {}, stores: null, targetPath: null,
      faults: [], ops: new OpTable(''), observations: [], sentinelEvents: [], unobserved: [], ledger: null,
      run: { probes: [], timelineStopped: null, injectFailed: [], healFailed: [], cleanup: null, restoredT: null, recoveredBy: null, placeFailed: [], primariesAtStart: null, variants: null },
      endT: 0, complete: false,
    };
  }

  /** Evidence moves the end of open windows; the run's bookkeeping (probes, ledger, cleanup) does not. */
  private evidence(t: unknown): void {
    if (typeof t === 'number' && t > this.h.endT) this.h.endT = t;
  }

  add(e: Entry): void {
    const h = this.h;
    switch (e.type) {
      case 'run-start':
        Object.assign(h, {
          experiment: String(e.experiment ?? ''), runId: String(e.runId ?? ''), wallClock: String(e.wallClock ?? ''),
          slos: e.slos ?? {}, judging: e.judging ?? {}, stores: (e.stores as History['stores']) ?? null, targetPath: typeof e.targetPath === 'string' ? e.targetPath : null,
          ops: new OpTable(String(e.runId ?? '')),
        });
        break;
      case 'op-invoke':
        // Older journals did not say: an app's write went to every store.
        h.ops.add(String(e.op), String(e.client), Number(e.scheduledT), e.t, Array.isArray(e.stores) ? (e.stores as string[]) : Object.keys(h.stores ?? { postgres: 1, redis: 1 }));
        this.evidence(e.t);
        break;
      case 'op-end': {
        // Older journals name only the Postgres node, as `node`.
        const nodes = (e.nodes as Record<string, string> | undefined) ?? (typeof e.node === 'string' ? { postgres: e.node } : undefined);
        h.ops.close(String(e.op), { t: e.t, outcome: e.outcome as Outcome, ...(typeof e.status === 'number' ? { status: e.status } : {}), ...(e.error ? { error: String(e.error) } : {}), ...(nodes ? { nodes } : {}) });
        this.evidence(e.t);
        break;
      }
      case 'observe':
        h.observations.push({ t: e.t, source: e.source as Observation['source'], node: String(e.node), value: String(e.value), ...(e.store ? { store: String(e.store) } : {}), ...(typeof e.epoch === 'number' ? { epoch: e.epoch } : {}) });
        this.evidence(e.t);
        break;
      case 'observe-skip':
        h.unobserved.push({ node: String(e.node), source: String(e.source), reason: String(e.reason), ...(e.store ? { store: String(e.store) } : {}) });
        break;
      case 'sentinel-event':
        h.sentinelEvents.push({ t: e.t, sentinel: String(e.sentinel), channel: String(e.channel), message: String(e.message) });
        this.evidence(e.t);
        break;
      case 'touch': {
        const key = String(e.key);
        const ns = this.touched.get(String(e.id)) ?? new Set<string>();
        if (key.startsWith('node:') || key.startsWith('load:')) ns.add(key.slice(5));
        // toxic:<client>--<server>--<port>:…, proxy:<client>--<server>--<port>, and the kernel's
        // rule:<netns node>:fl-<run>-<fault>/<client>--<server>--<port>: a fault hits both ends of
        // each link it cuts, however it cuts it. (Older rule keys name only the netns node.)
        const proxy = /^(?:toxic|proxy):([^:]+)/.exec(key)?.[1] ?? /^rule:[^:]*:[^/]*\/([^:]+)$/.exec(key)?.[1];
        if (key.startsWith('rule:') && !proxy) ns.add(key.split(':')[1]!);
        if (proxy) proxy.split('--').slice(0, 2).forEach((n) => ns.add(n));
        this.touched.set(String(e.id), ns);
        break;
      }
      // A fault starts when its injection starts: a SIGKILL takes effect before the call returns.
      case 'fault-inject':
        this.starts.set(String(e.id), e.t);
        this.evidence(e.t);
        break;
      case 'fault-injected': {
        const f: FaultSpan = { id: String(e.id), kind: String(e.kind ?? ''), description: String(e.description), start: this.starts.get(String(e.id)) ?? e.t, end: null, nodes: [...(this.touched.get(String(e.id)) ?? [])] };
        this.faults.set(f.id, f);
        h.faults.push(f);
        this.evidence(e.t);
        break;
      }
      case 'fault-healed': {
        const f = this.faults.get(String(e.id));
        if (f) f.end = e.t;
        this.evidence(e.t);
        break;
      }
      case 'place-failed':
        h.run.placeFailed.push({ store: String(e.store), wanted: String(e.wanted), error: String(e.error) });
        break;
      case 'primaries':
        h.run.primariesAtStart = (e.primaries as Record<string, string | null>) ?? null;
        break;
      // variant-apply is written before the first change; applied (read back) or failed follows, then reverted or revert-failed.
      case 'variant-apply':
        h.run.variants = { variants: (e.variants as VariantsRecord['variants']) ?? [], values: null, checks: [], touched: true, reverted: null };
        break;
      case 'variant-applied':
        if (h.run.variants) Object.assign(h.run.variants, { values: e.values ?? {}, checks: (e.checks as string[]) ?? [] });
        break;
      case 'variant-failed':
        h.run.variants ??= { variants: (e.variants as VariantsRecord['variants']) ?? [], values: null, checks: [], touched: false, reverted: null };
        h.run.variants.error = String(e.error);
        break;
      case 'variant-reverted':
        if (h.run.variants) h.run.variants.reverted = { ok: true, values: (e.values as VariantsRecord['values'] & object) ?? {}, ...(e.by ? { by: String(e.by) } : {}) };
        break;
      case 'variant-revert-failed':
        if (h.run.variants) h.run.variants.reverted = { ok: false, error: String(e.error) };
        break;
      case 'fault-inject-failed':
        h.run.injectFailed.push({ id: String(e.id), error: String(e.error) });
        break;
      case 'fault-heal-failed':
        h.run.healFailed.push({ id: String(e.id), error: String(e.error) });
        break;
      case 'probe':
        h.run.probes.push({ t: e.t, phase: String(e.phase), probe: String(e.probe), ok: e.ok === true, detail: String(e.detail ?? ''), ...(e.path ? { path: String(e.path) } : {}) });
        break;
      case 'steady-restored':
        h.run.restoredT = e.t;
        break;
      case 'timeline-stopped':
        h.run.timelineStopped = { t: e.t, reason: String(e.reason), kind: String(e.kind) };
        break;
      case 'cleanup':
        h.run.cleanup = { verdict: e.verdict === 'failed' ? 'failed' : 'ok', remaining: Array.isArray(e.leftoversRemaining) ? (e.leftoversRemaining as string[]) : [] };
        break;
      case 'ledger':
        h.ledger = parseLedger(e, h.ledger);
        break;
      case 'ledger-missing': {
        const s = h.ledger?.stores[String(e.store)];
        if (s && Array.isArray(e.ids)) for (const id of e.ids as string[]) s.missing.push(id);
        break;
      }
      case 'run-complete':
      case 'run-end':
        h.complete = true;
        break;
      case 'recovered':
        h.run.recoveredBy = String(e.by ?? 'faultline');
        break;
    }
  }

  /**
   * Take a batch coded by a reading thread (op-rows.ts): the same history as add() of each of its
   * lines in order. Names are mapped when first used, so codes are handed out in the order add()
   * would have. Returns false, having added nothing past it, at a second run-start (a new op table):
   * the caller then reads the journal again line by line.
   */
  addRows(b: OpRowBatch): boolean {
    const ops = this.h.ops;
    const map = (names: string[], kind: 'client' | 'store' | 'node' | 'error') => {
      const m = new Int32Array(names.length).fill(-1);
      return (c: number) => (m[c]! >= 0 ? m[c]! : (m[c] = ops.codeOf(kind, names[c]!)));
    };
    const client = map(b.names.client, 'client'), store = map(b.names.store, 'store'), node = map(b.names.node, 'node'), error = map(b.names.error, 'error');
    const bitsOf = (local: number) => {
      let bits = 0;
      for (let k = 0; local; k++, local >>= 1) if (local & 1) bits |= 1 << store(k);
      return bits;
    };
    const nodes = new Uint16Array(b.nodes.length);
    let ei = 0, ii = 0;
    const entriesUpTo = (r: number): boolean => {
      for (; ei < b.entries.length && b.entries[ei]![0] <= r; ei++) {
        const e = b.entries[ei]![1];
        if (e?.type === 'run-start') return false;
        this.add(e);
      }
      return true;
    };
    const rows = b.rows;
    for (let r = 0; r < b.count; r++) {
      if (!entriesUpTo(r)) return false;
      const o = r * STRIDE;
      let seq: number | undefined = rows[o + 3]!;
      let id: string | undefined;
      if (Number.isNaN(seq)) {
        id = b.ids[ii++]![1];
        seq = ops.seqOf(id);
      }
      const t = rows[o + 1]!;
      if (rows[o] === INVOKE) ops.addCoded(seq, id, client(rows[o + 4]!), rows[o + 2]!, t, bitsOf(rows[o + 5]!));
      else {
        const from = rows[o + 6]!, to = rows[o + 7]!;
        for (let k = from; k < to; k += 2) {
          nodes[k] = store(b.nodes[k]!);
          nodes[k + 1] = node(b.nodes[k + 1]!);
        }
        const err = rows[o + 5]!;
        ops.closeCoded(seq, id, t, rows[o + 2]!, rows[o + 4]!, err ? error(err) : 0, nodes, from, to);
      }
      this.evidence(t);
    }
    return entriesUpTo(Infinity);
  }

  /** The ops so far (the live run reads its ledger from them before the history is finished). */
  peekOps(): OpTable {
    return this.h.ops;
  }

  finish(): History {
    this.h.ops.seal();
    return this.h;
  }
}

/** A `ledger` line; older journals carried one entry per write (`entries`), newer ones each store's missing ids. */
function parseLedger(e: Entry, prev: Ledger | null): Ledger {
  if (e.stores && typeof e.stores === 'object') {
    const stores = Object.fromEntries(Object.entries(e.stores as Record<string, LedgerStore>).map(([s, v]) => [s, { primary: v.primary ?? null, asked: Number(v.asked ?? 0), missing: [...(v.missing ?? [])], ...(v.error ? { error: String(v.error) } : {}) }]));
    return { t: e.t, stores: { ...(prev?.stores ?? {}), ...stores } };
  }
  // Legacy: { primary: {store: node}, entries: [{ id, acked, found: { postgres, redis } }] }.
  const entries = (e.entries ?? []) as { id: string; found: Record<string, boolean | null> }[];
  const primary = (e.primary ?? {}) as Record<string, string | null>;
  const stores: Record<string, LedgerStore> = {};
  for (const store of Object.keys(primary)) {
    const unreadable = entries.some((x) => x.found[store] === null) || primary[store] === null;
    stores[store] = { primary: primary[store] ?? null, asked: entries.length, missing: unreadable ? [] : entries.filter((x) => x.found[store] === false).map((x) => x.id), ...(unreadable ? { error: 'not readable' } : {}) };
  }
  return { t: e.t, stores };
}

/** Rebuild the history from journal lines (pure; tolerant of a journal cut short by a crash). */
export function buildHistory(entries: Iterable<Entry>): History {
  const b = new HistoryBuilder();
  for (const e of entries) b.add(e);
  return b.finish();
}
