// The workload's operations as columns: a million writes fit in ~40 MB instead of ~280 MB of
// objects, so an hour at 300 writes/s is judged in bounded memory. Columns grow by fixed pages,
// never by copying (a doubled buffer leaves the old one to a late major GC). Ids are
// `<prefix>-<seq>` (the open-loop generator makes them so); only the sequence number is kept, and
// any other id is kept as text beside it.

/** 'client-bug': the client failed, not the system (a user's client threw): no evidence either way, left out when sealed. */
export type Outcome = 'ok' | 'fail' | 'indeterminate' | 'pending' | 'client-bug';
const OUTCOMES: Outcome[] = ['pending', 'ok', 'fail', 'indeterminate', 'client-bug'];
const CLIENT_BUG = 4;
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
  // The few values seen last (clients, stores and nodes alternate): compared before hashing.
  private readonly recentS: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly recentI = [0, 0, 0, 0];
  private next = 0;
  code(s: string): number {
    const r = this.recentS;
    if (s === r[0]) return this.recentI[0]!;
    if (s === r[1]) return this.recentI[1]!;
    if (s === r[2]) return this.recentI[2]!;
    if (s === r[3]) return this.recentI[3]!;
    let i = this.index.get(s);
    if (i === undefined) {
      // The last code is kept for '(other)', so a name past the limit always has somewhere to go.
      if (this.list.length >= this.max - 1 && s !== '(other)') return this.code('(other)');
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    r[this.next] = s;
    this.recentI[this.next] = i;
    this.next = (this.next + 1) & 3;
    return i;
  }
  find(s: string): number | undefined {
    return this.index.get(s);
  }
}

type Typed = Float64Array | Uint8Array | Uint16Array;
const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
const MASK = PAGE - 1;

/** A growable column of numbers in fixed pages of 64 Ki entries. */
class Column<T extends Typed> {
  private readonly pages: T[] = [];
  private readonly make: (n: number) => T;
  private readonly empty: number;
  constructor(make: (n: number) => T, empty = 0) {
    this.make = make;
    this.empty = empty;
  }
  get(i: number): number {
    const p = this.pages[i >>> PAGE_BITS];
    return p === undefined ? this.empty : p[i & MASK]!;
  }
  set(i: number, v: number): void {
    let p = this.pages[i >>> PAGE_BITS];
    if (p === undefined) {
      p = this.make(PAGE);
      if (this.empty !== 0) p.fill(this.empty);
      this.pages[i >>> PAGE_BITS] = p;
    }
    p[i & MASK] = v;
  }
  /** A copy with entry k taken from entry perm[k]. */
  permuted(perm: number[]): Column<T> {
    const c = new Column(this.make, this.empty);
    perm.forEach((from, to) => c.set(to, this.get(from)));
    return c;
  }
}

/** The number in an op id `<prefix>-<digits>` (at most 15 digits), or undefined for any other id. */
export function seqOfId(prefix: string, id: string): number | undefined {
  if (!prefix || id.length <= prefix.length + 1 || !id.startsWith(prefix) || id[prefix.length] !== '-') return undefined;
  // By hand: this runs for every op of a journal.
  let n = 0;
  const from = prefix.length + 1;
  if (id.length - from > 15) return undefined;
  for (let k = from; k < id.length; k++) {
    const c = id.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}

export class OpTable {
  length = 0;
  private dueT = new Column((n) => new Float64Array(n));
  private sentT = new Column((n) => new Float64Array(n));
  /** NaN while pending. */
  private endT = new Column((n) => new Float64Array(n), NaN);
  private outcomeCode = new Column((n) => new Uint8Array(n));
  private clientCode = new Column((n) => new Uint16Array(n));
  private statusCode = new Column((n) => new Uint16Array(n));
  private errorCode = new Column((n) => new Uint16Array(n));
  /** Bit k set: written to stores.list[k]. */
  private storeBits = new Column((n) => new Uint8Array(n));
  /** Per store code: node code + 1 of the node that took the write (0: none named). */
  private nodeCols: Column<Uint16Array>[] = [];
  private seq = new Column((n) => new Float64Array(n));
  private readonly oddIds = new Map<number, string>();
  private readonly byOddId = new Map<string, number>();
  readonly clients = new Names();
  readonly stores = new Names(8);
  readonly nodes = new Names();
  private readonly errors = new Names();
  /** Ops still open, by id: small, since an op ends soon after it starts. */
  private readonly open = new Map<string, number>();
  private sorted = true;
  private bugCount = 0;
  /** Ops whose client failed (outcome 'client-bug'), taken out of the table when it is sealed: no check sees them. */
  readonly clientBugs: { id: string; client: string; t: number; error: string }[] = [];
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.errors.code('');
  }

  add(id: string, client: string, scheduledT: number, sentT: number, stores: string[]): void {
    let bits = 0;
    for (const s of stores) bits |= 1 << this.stores.code(s);
    this.addCoded(this.seqOf(id), id, this.clients.code(client), scheduledT, sentT, bits);
  }

  /** add() with the id's sequence number (undefined: an odd id) and names already coded in this table. */
  addCoded(seq: number | undefined, id: string | undefined, client: number, scheduledT: number, sentT: number, storeBits: number): void {
    const i = this.length++;
    this.dueT.set(i, scheduledT);
    this.sentT.set(i, sentT);
    this.clientCode.set(i, client);
    this.storeBits.set(i, storeBits);
    if (seq === undefined) {
      this.oddIds.set(i, id!);
      this.byOddId.set(id!, i);
      this.seq.set(i, NaN);
    } else this.seq.set(i, seq);
    if (i > 0 && scheduledT < this.dueT.get(i - 1)) this.sorted = false;
    // The generator's ids carry their index: only other ids need the map to be found at their end.
    if (seq !== i) this.open.set(id ?? `${this.prefix}-${seq}`, i);
  }

  /** Record op `id`'s outcome (op-end). */
  close(id: string, e: { t: number; outcome: Outcome; status?: number; error?: string; nodes?: Record<string, string> }): void {
    let nodes: number[] | undefined;
    for (const store in e.nodes) (nodes ??= []).push(this.stores.code(store), this.nodes.code(e.nodes[store]!));
    this.closeCoded(this.seqOf(id), id, e.t, OUTCOME_CODE.get(e.outcome) ?? 3, e.status ?? 0, e.error ? this.errors.code(e.error) : 0, nodes);
  }

  /** close() with the id's sequence number and codes of this table; `nodes` is store code, node code, … pairs. */
  closeCoded(seq: number | undefined, id: string | undefined, t: number, outcome: number, status: number, error: number, nodes: ArrayLike<number> | undefined, nodesFrom = 0, nodesTo = nodes?.length ?? 0): void {
    let i: number | undefined;
    if (seq !== undefined && seq < this.length && this.seq.get(seq) === seq && !this.oddIds.has(seq)) {
      if (this.outcomeCode.get(seq) !== 0) return; // ended already
      i = seq;
    } else {
      const key = id ?? `${this.prefix}-${seq}`;
      i = this.open.get(key);
      if (i === undefined) return;
      this.open.delete(key);
    }
    this.endT.set(i, t);
    this.outcomeCode.set(i, outcome);
    if (outcome === CLIENT_BUG) this.bugCount++;
    if (status) this.statusCode.set(i, status);
    if (error) this.errorCode.set(i, error);
    if (nodes) for (let k = nodesFrom; k < nodesTo; k += 2) (this.nodeCols[nodes[k]!] ??= new Column((n) => new Uint16Array(n))).set(i, nodes[k + 1]! + 1);
  }

  /** Code of a name in this table, adding it: for rows coded elsewhere (a reading thread) and mapped here. */
  codeOf(kind: 'client' | 'store' | 'node' | 'error', name: string): number {
    return (kind === 'client' ? this.clients : kind === 'store' ? this.stores : kind === 'node' ? this.nodes : this.errors).code(name);
  }

  /** The sequence number the generator put in an op id of this run, or undefined for any other id. */
  seqOf(id: string): number | undefined {
    return seqOfId(this.prefix, id);
  }

  /** When the open-loop schedule said to send op i. */
  due(i: number): number {
    return this.dueT.get(i);
  }
  sent(i: number): number {
    return this.sentT.get(i);
  }
  /** When its outcome became known; NaN while pending. */
  end(i: number): number {
    return this.endT.get(i);
  }
  outcome(i: number): Outcome {
    return OUTCOMES[this.outcomeCode.get(i)]!;
  }
  isOk(i: number): boolean {
    return this.outcomeCode.get(i) === 1;
  }
  isPending(i: number): boolean {
    return this.outcomeCode.get(i) === 0;
  }
  client(i: number): string {
    return this.clients.list[this.clientCode.get(i)]!;
  }
  clientIndex(i: number): number {
    return this.clientCode.get(i);
  }
  id(i: number): string {
    return this.oddIds.get(i) ?? `${this.prefix}-${this.seq.get(i)}`;
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
      const v = this.seq.get(mid);
      if (Number.isNaN(v)) break;
      if (v === seq) return mid;
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let i = 0; i < this.length; i++) if (this.seq.get(i) === seq) return i;
    return undefined;
  }
  /** Did this op go to `store`? */
  wrote(i: number, store: string): boolean {
    return (this.storeBits.get(i) & this.storeMask(store)) !== 0;
  }
  /** The bit of a store in storeBitsOf (0 for a store no op wrote to): resolve once, test per op. */
  storeMask(store: string): number {
    const s = this.stores.find(store);
    return s === undefined ? 0 : 1 << s;
  }
  storeBitsOf(i: number): number {
    return this.storeBits.get(i);
  }
  storesOf(i: number): string[] {
    const bits = this.storeBits.get(i);
    return this.stores.list.filter((_, k) => bits & (1 << k));
  }
  /** The node of `store` that took op i, if the client named one. */
  node(i: number, store: string): string | undefined {
    const s = this.stores.find(store);
    const code = s === undefined ? 0 : (this.nodeCols[s]?.get(i) ?? 0);
    return code ? this.nodes.list[code - 1] : undefined;
  }
  /**
   * Put the ops in order of their due time once reading is done (one generator writes them so
   * already; a hand-made or merged journal may not), so every check can walk them in that order;
   * and move the client's bugs out to clientBugs, so that no check counts them.
   */
  seal(): void {
    if (this.sorted && !this.bugCount) return;
    let perm = Array.from({ length: this.length }, (_, i) => i);
    if (this.bugCount) {
      for (const i of perm) if (this.outcomeCode.get(i) === CLIENT_BUG) this.clientBugs.push({ id: this.id(i), client: this.client(i), t: this.end(i), error: this.errors.list[this.errorCode.get(i)]! });
      perm = perm.filter((i) => this.outcomeCode.get(i) !== CLIENT_BUG);
      this.bugCount = 0;
    }
    if (!this.sorted) perm.sort((a, b) => this.due(a) - this.due(b));
    this.length = perm.length;
    this.dueT = this.dueT.permuted(perm);
    this.sentT = this.sentT.permuted(perm);
    this.endT = this.endT.permuted(perm);
    this.outcomeCode = this.outcomeCode.permuted(perm);
    this.clientCode = this.clientCode.permuted(perm);
    this.statusCode = this.statusCode.permuted(perm);
    this.errorCode = this.errorCode.permuted(perm);
    this.storeBits = this.storeBits.permuted(perm);
    this.seq = this.seq.permuted(perm);
    this.nodeCols = this.nodeCols.map((c) => (c ? c.permuted(perm) : c));
    const odd = [...this.oddIds];
    this.oddIds.clear();
    this.byOddId.clear();
    const where = new Map(perm.map((from, to) => [from, to]));
    for (const [from, id] of odd) {
      const to = where.get(from);
      if (to === undefined) continue; // a client bug's, taken out
      this.oddIds.set(to, id);
      this.byOddId.set(id, to);
    }
    this.sorted = true;
  }

  get(i: number): Op {
    const end = this.end(i);
    const status = this.statusCode.get(i);
    const error = this.errors.list[this.errorCode.get(i)]!;
    const nodes: Record<string, string> = {};
    for (const s of this.stores.list) {
      const n = this.node(i, s);
      if (n) nodes[s] = n;
    }
    return {
      id: this.id(i), client: this.client(i), scheduledT: this.due(i), sentT: this.sent(i), endT: Number.isNaN(end) ? null : end,
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
      if (o.outcome !== 'pending') t.close(o.id, { t: o.endT ?? o.sentT, outcome: o.outcome, ...(o.status !== undefined ? { status: o.status } : {}), ...(o.error ? { error: o.error } : {}), ...(o.nodes ? { nodes: o.nodes } : {}) });
    }
    t.seal();
    return t;
  }
}
