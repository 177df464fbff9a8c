// The workload's operations as columns: a million writes fit in ~40 MB instead of ~280 MB of
// objects, so an hour at 300 writes/s is judged in bounded memory. Ids are `<prefix>-<seq>` (the
// open-loop generator makes them so); only the sequence number is kept, and any other id is kept
// as text beside it.

export type Outcome = 'ok' | 'fail' | 'indeterminate' | 'pending';
const OUTCOMES: Outcome[] = ['pending', 'ok', 'fail', 'indeterminate'];
const OUTCOME_CODE = new Map(OUTCOMES.map((o, i) => [o, i]));

/** One operation, materialised for a caller that wants an object (evidence, a report row). */
export interface Op {
  id: string;
  client: string;
  /** When the open-loop schedule said to send it; latency counts from here, so a stall is not hidden. */
  scheduledT: number;
  sentT: number;
  endT: number | null;
  outcome: Outcome;
  status?: number;
  error?: string;
  /** Per store it was written to: the node that says it took the write. */
  nodes: Record<string, string>;
  /** The stores it writes to (an app write goes to every store; a direct write to one). */
  stores: string[];
}

/** Interns short strings (clients, nodes, stores, error texts) as small numbers. */
class Names {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly max: number;
  constructor(max = 65_535) {
    this.max = max;
  }
  code(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      if (this.list.length >= this.max) return this.code('(other)');
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
  find(s: string): number | undefined {
    return this.index.get(s);
  }
}

function grow<T extends Float64Array | Uint8Array | Uint16Array | Uint32Array>(a: T, n: number, fill?: number): T {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

export class OpTable {
  length = 0;
  scheduledT = new Float64Array(1024);
  sentT = new Float64Array(1024);
  /** NaN while pending. */
  endT = new Float64Array(1024).fill(NaN);
  private outcomeCode = new Uint8Array(1024);
  private clientCode = new Uint16Array(1024);
  private statusCode = new Uint16Array(1024);
  private errorCode = new Uint16Array(1024);
  /** Bit k set: written to stores.list[k]. */
  private storeBits = new Uint8Array(1024);
  /** Per store code: node code + 1 of the node that took the write (0: none named). */
  private nodeCols: Uint16Array[] = [];
  private seq = new Float64Array(1024);
  private readonly oddIds = new Map<number, string>();
  private readonly byOddId = new Map<string, number>();
  readonly clients = new Names();
  readonly stores = new Names(8);
  readonly nodes = new Names();
  private readonly errors = new Names();
  /** Ops still open, by id: small, since an op ends soon after it starts. */
  private readonly open = new Map<string, number>();
  private sorted = true;
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.errors.code('');
  }

  add(id: string, client: string, scheduledT: number, sentT: number, stores: string[]): void {
    const i = this.length++;
    if (i >= this.scheduledT.length) this.resize(i + 1);
    this.scheduledT[i] = scheduledT;
    this.sentT[i] = sentT;
    this.clientCode[i] = this.clients.code(client);
    let bits = 0;
    for (const s of stores) bits |= 1 << this.stores.code(s);
    this.storeBits[i] = bits;
    const seq = this.seqOf(id);
    if (seq === undefined) {
      this.oddIds.set(i, id);
      this.byOddId.set(id, i);
      this.seq[i] = NaN;
    } else this.seq[i] = seq;
    if (i > 0 && scheduledT < this.scheduledT[i - 1]!) this.sorted = false;
    this.open.set(id, i);
  }

  end(id: string, e: { t: number; outcome: Outcome; status?: number; error?: string; nodes?: Record<string, string> }): void {
    const i = this.open.get(id);
    if (i === undefined) return;
    this.open.delete(id);
    this.endT[i] = e.t;
    this.outcomeCode[i] = OUTCOME_CODE.get(e.outcome) ?? 3;
    if (e.status !== undefined) this.statusCode[i] = e.status;
    if (e.error) this.errorCode[i] = this.errors.code(e.error);
    for (const [store, node] of Object.entries(e.nodes ?? {})) {
      const s = this.stores.code(store);
      this.nodeCols[s] ??= new Uint16Array(this.scheduledT.length);
      this.nodeCols[s][i] = this.nodes.code(node) + 1;
    }
  }

  private resize(n: number): void {
    this.scheduledT = grow(this.scheduledT, n);
    this.sentT = grow(this.sentT, n);
    this.endT = grow(this.endT, n, NaN);
    this.outcomeCode = grow(this.outcomeCode, n);
    this.clientCode = grow(this.clientCode, n);
    this.statusCode = grow(this.statusCode, n);
    this.errorCode = grow(this.errorCode, n);
    this.storeBits = grow(this.storeBits, n);
    this.seq = grow(this.seq, n);
    this.nodeCols = this.nodeCols.map((c) => (c ? grow(c, this.scheduledT.length) : c));
  }

  private seqOf(id: string): number | undefined {
    if (!this.prefix || id.length <= this.prefix.length + 1 || !id.startsWith(this.prefix) || id[this.prefix.length] !== '-') return undefined;
    const rest = id.slice(this.prefix.length + 1);
    return /^\d{1,15}$/.test(rest) ? Number(rest) : undefined;
  }

  outcome(i: number): Outcome {
    return OUTCOMES[this.outcomeCode[i]!]!;
  }
  isOk(i: number): boolean {
    return this.outcomeCode[i] === 1;
  }
  isPending(i: number): boolean {
    return this.outcomeCode[i] === 0;
  }
  client(i: number): string {
    return this.clients.list[this.clientCode[i]!]!;
  }
  clientIndex(i: number): number {
    return this.clientCode[i]!;
  }
  id(i: number): string {
    return this.oddIds.get(i) ?? `${this.prefix}-${this.seq[i]}`;
  }
  /** Index of an op by id, or undefined (binary search over the sequence numbers, which only grow). */
  indexOf(id: string): number | undefined {
    const odd = this.byOddId.get(id);
    if (odd !== undefined) return odd;
    const seq = this.seqOf(id);
    if (seq === undefined) return undefined;
    let lo = 0;
    let hi = this.length - 1;
    // Sequence numbers grow with the index; odd ids (NaN) are skipped by a linear fall-back.
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.seq[mid]!;
      if (Number.isNaN(v)) break;
      if (v === seq) return mid;
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let i = 0; i < this.length; i++) if (this.seq[i] === seq) return i;
    return undefined;
  }
  /** Did this op go to `store`? */
  wrote(i: number, store: string): boolean {
    const s = this.stores.find(store);
    return s !== undefined && (this.storeBits[i]! & (1 << s)) !== 0;
  }
  storesOf(i: number): string[] {
    const bits = this.storeBits[i]!;
    return this.stores.list.filter((_, k) => bits & (1 << k));
  }
  /** The node of `store` that took op i, if the client named one. */
  node(i: number, store: string): string | undefined {
    const s = this.stores.find(store);
    const code = s === undefined ? 0 : (this.nodeCols[s]?.[i] ?? 0);
    return code ? this.nodes.list[code - 1] : undefined;
  }
  /**
   * Put the ops in order of their due time once reading is done (one generator writes them so
   * already; a hand-made or merged journal may not), so every check can walk them in that order.
   */
  seal(): void {
    if (this.sorted) return;
    const perm = Array.from({ length: this.length }, (_, i) => i).sort((a, b) => this.scheduledT[a]! - this.scheduledT[b]!);
    const permute = <T extends Float64Array | Uint8Array | Uint16Array>(a: T): T => {
      const b = a.slice() as T;
      perm.forEach((from, to) => (b[to] = a[from]!));
      return b;
    };
    this.scheduledT = permute(this.scheduledT);
    this.sentT = permute(this.sentT);
    this.endT = permute(this.endT);
    this.outcomeCode = permute(this.outcomeCode);
    this.clientCode = permute(this.clientCode);
    this.statusCode = permute(this.statusCode);
    this.errorCode = permute(this.errorCode);
    this.storeBits = permute(this.storeBits);
    this.seq = permute(this.seq);
    this.nodeCols = this.nodeCols.map((c) => (c ? permute(c) : c));
    const odd = [...this.oddIds];
    this.oddIds.clear();
    this.byOddId.clear();
    const where = new Map(perm.map((from, to) => [from, to]));
    for (const [from, id] of odd) {
      this.oddIds.set(where.get(from)!, id);
      this.byOddId.set(id, where.get(from)!);
    }
    this.sorted = true;
  }

  get(i: number): Op {
    const end = this.endT[i]!;
    const status = this.statusCode[i]!;
    const error = this.errors.list[this.errorCode[i]!]!;
    const nodes: Record<string, string> = {};
    for (const s of this.stores.list) {
      const n = this.node(i, s);
      if (n) nodes[s] = n;
    }
    return {
      id: this.id(i), client: this.client(i), scheduledT: this.scheduledT[i]!, sentT: this.sentT[i]!, endT: Number.isNaN(end) ? null : end,
      outcome: this.outcome(i), ...(status ? { status } : {}), ...(error ? { error } : {}), nodes, stores: this.storesOf(i),
    };
  }

  /** Every op as an object: for tests and small histories only. */
  all(): Op[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }

  /** Build a table from objects (tests, fixtures). */
  static from(ops: (Omit<Op, 'nodes' | 'stores'> & { nodes?: Record<string, string>; stores?: string[] })[], prefix = ''): OpTable {
    const t = new OpTable(prefix);
    for (const o of ops) {
      t.add(o.id, o.client, o.scheduledT, o.sentT, o.stores ?? []);
      if (o.outcome !== 'pending') t.end(o.id, { t: o.endT ?? o.sentT, outcome: o.outcome, ...(o.status !== undefined ? { status: o.status } : {}), ...(o.error ? { error: o.error } : {}), ...(o.nodes ? { nodes: o.nodes } : {}) });
    }
    t.seal();
    return t;
  }
}
