// Operation lines coded as numbers by a reading thread, so the judging thread takes them without
// parsing text or building objects: a batch is a few typed arrays (moved between threads, not
// copied), the names they use, and the lines that are not plain op lines, each at its position.
// Only the shape the recorder writes is coded; any other line goes across as its parsed entry and
// is added as it would have been (HistoryBuilder.add), so both routes build the same history.
import type { Entry } from './journal.ts';
import { seqOfId } from './ops.ts';

export const INVOKE = 1;
export const END = 2;
/** Per row: kind, t, scheduledT (invoke) or outcome (end), seq (NaN: see ids), client or status, stores bits or error, nodes from, nodes to. */
export const STRIDE = 8;
const OUTCOME_CODE: Record<string, number> = { pending: 0, ok: 1, fail: 2, indeterminate: 3, 'client-bug': 4 };

export interface OpRowBatch {
  rows: Float64Array;
  count: number;
  /** Store code, node code pairs, indexed by rows' nodes from/to. */
  nodes: Uint16Array;
  /** Names by their code in this batch's coder: the receiver maps them once per batch. */
  names: { client: string[]; store: string[]; node: string[]; error: string[] };
  /** Row index → op id, for ids the sequence number alone does not give back. */
  ids: [number, string][];
  /** Lines that are not coded rows, each with the row index it comes before. */
  entries: [number, Entry][];
  badLines: number;
}

type NameKind = keyof OpRowBatch['names'];

/** Codes op lines into batches for the run whose op ids start with `prefix-`. */
export class OpRowCoder {
  private readonly prefix: string;
  private rows = new Float64Array(STRIDE * 1024);
  private nodes = new Uint16Array(2048);
  private count = 0;
  private nodeCount = 0;
  private names: OpRowBatch['names'] = { client: [], store: [], node: [], error: [''] };
  private codes: Record<NameKind, Map<string, number>> = { client: new Map(), store: new Map(), node: new Map(), error: new Map([['', 0]]) };
  private ids: [number, string][] = [];
  private entries: [number, Entry][] = [];
  badLines = 0;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  get rowCount(): number {
    return this.count;
  }

  /** Take one parsed journal line. */
  add(e: Entry): void {
    if (!(e.type === 'op-invoke' ? this.invoke(e) : e.type === 'op-end' ? this.end(e) : false)) this.entries.push([this.count, e]);
  }

  /** The batch so far, and a fresh start (names are coded afresh for each batch). */
  take(): OpRowBatch {
    const b: OpRowBatch = { rows: this.rows.slice(0, this.count * STRIDE), count: this.count, nodes: this.nodes.slice(0, this.nodeCount), names: this.names, ids: this.ids, entries: this.entries, badLines: this.badLines };
    this.count = 0;
    this.nodeCount = 0;
    this.names = { client: [], store: [], node: [], error: [''] };
    this.codes = { client: new Map(), store: new Map(), node: new Map(), error: new Map([['', 0]]) };
    this.ids = [];
    this.entries = [];
    this.badLines = 0;
    return b;
  }

  private code(kind: NameKind, s: string): number {
    let c = this.codes[kind].get(s);
    if (c === undefined) {
      c = this.names[kind].length;
      this.names[kind].push(s);
      this.codes[kind].set(s, c);
    }
    return c;
  }

  private row(): number {
    if ((this.count + 1) * STRIDE > this.rows.length) {
      const r = new Float64Array(this.rows.length * 2);
      r.set(this.rows);
      this.rows = r;
    }
    return this.count++ * STRIDE;
  }

  /** The op's sequence number when `prefix-<seq>` gives its id back exactly (no leading zero); else the id is kept. */
  private seq(at: number, id: string): number {
    const n = seqOfId(this.prefix, id);
    const from = this.prefix.length + 1;
    return n !== undefined && (id.charCodeAt(from) !== 48 || id.length === from + 1) ? n : this.keep(at, id);
  }

  private keep(at: number, id: string): number {
    this.ids.push([at, id]);
    return NaN;
  }

  // The shapes HistoryBuilder.add reads without fall-backs; anything else is passed on as an entry.
  private invoke(e: Entry): boolean {
    if (typeof e.op !== 'string' || typeof e.client !== 'string' || typeof e.scheduledT !== 'number' || typeof e.t !== 'number' || !Array.isArray(e.stores)) return false;
    let bits = 0;
    for (const s of e.stores as unknown[]) {
      if (typeof s !== 'string') return false;
      const c = this.code('store', s);
      if (c > 7) return false;
      bits |= 1 << c;
    }
    const i = this.row();
    const r = this.rows;
    r[i] = INVOKE;
    r[i + 1] = e.t;
    r[i + 2] = e.scheduledT;
    r[i + 3] = this.seq(this.count - 1, e.op);
    r[i + 4] = this.code('client', e.client);
    r[i + 5] = bits;
    return true;
  }

  private end(e: Entry): boolean {
    const outcome = OUTCOME_CODE[e.outcome as string];
    if (typeof e.op !== 'string' || typeof e.t !== 'number' || outcome === undefined || e.node !== undefined) return false;
    if (e.status !== undefined && (typeof e.status !== 'number' || !Number.isInteger(e.status) || e.status < 0 || e.status > 65_535)) return false;
    if (e.error !== undefined && typeof e.error !== 'string') return false;
    const nodes = e.nodes;
    if (nodes !== undefined && (nodes === null || typeof nodes !== 'object' || Array.isArray(nodes))) return false;
    const from = this.nodeCount;
    for (const store in nodes as Record<string, unknown>) {
      const n = (nodes as Record<string, unknown>)[store];
      if (typeof n !== 'string') {
        this.nodeCount = from;
        return false;
      }
      if (this.nodeCount + 2 > this.nodes.length) {
        const a = new Uint16Array(this.nodes.length * 2);
        a.set(this.nodes);
        this.nodes = a;
      }
      this.nodes[this.nodeCount++] = this.code('store', store);
      this.nodes[this.nodeCount++] = this.code('node', n);
    }
    const i = this.row();
    const r = this.rows;
    r[i] = END;
    r[i + 1] = e.t;
    r[i + 2] = outcome;
    r[i + 3] = this.seq(this.count - 1, e.op);
    r[i + 4] = (e.status as number | undefined) ?? 0;
    r[i + 5] = e.error ? this.code('error', e.error as string) : 0;
    r[i + 6] = from;
    r[i + 7] = this.nodeCount;
    return true;
  }
}
