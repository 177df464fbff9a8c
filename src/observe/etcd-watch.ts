// One etcd member's view of a key prefix, through etcd v3's JSON gateway on its published port:
// a range for the current values, then POST /v3/watch from the next revision, a stream etcd pushes
// every change down as it commits, in order. A linearizable count every checkMs proves the member
// still answers (a paused member keeps its socket open and just falls silent; one cut off from its
// peers cannot answer it); a dropped stream is reopened after the next good range, which is then
// read as a snapshot first. Keys and values are base64 on the wire.
import { Client } from 'undici';
import { HttpLink } from './http-link.ts';
import { readLines } from './lines.ts';

export interface KeyValue { key: string; value: string | null; revision: number }

export interface EtcdWatchSink {
  /** Every key under the prefix at `revision` (a key not listed is gone). */
  snapshot(revision: number, kvs: KeyValue[]): void;
  /** One change: value null when the key was deleted or its lease expired. */
  change(kv: KeyValue): void;
  /** The member stopped answering. */
  lost(): void;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: unknown): string => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : '');
/** The end of a prefix range: the prefix with its last byte plus one. */
const prefixEnd = (p: string): string => {
  const b = Buffer.from(p, 'utf8');
  b[b.length - 1]! += 1;
  return b.toString('base64');
};

interface RawKv { key?: string; value?: string; mod_revision?: string }
const kvOf = (kv: RawKv, deleted: boolean, revision?: number): KeyValue =>
  ({ key: unb64(kv.key), value: deleted ? null : unb64(kv.value), revision: Number(kv.mod_revision ?? revision ?? 0) });

export class EtcdWatch {
  /** Whether the last range was answered. */
  connected = false;
  /** Whether a first range was answered or given up on. */
  settled = false;
  /** Changes the stream delivered. */
  events = 0;
  /** Streams opened (1 when it never dropped). */
  streams = 0;
  readonly ready: Promise<void>;
  private readyDone!: () => void;
  private readonly link: HttpLink;
  private readonly streamClient: Client;
  private stream: AbortController | undefined;
  private checking = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;
  private readonly prefix: string;
  private readonly sink: EtcdWatchSink;
  private readonly timeoutMs: number;

  /** timeoutMs bounds each range, connecting included: a range is a consensus read, slower than a poll on a busy machine. */
  constructor(host: string, port: number, prefix: string, sink: EtcdWatchSink, opts: { checkMs: number; timeoutMs: number }) {
    this.prefix = prefix;
    this.sink = sink;
    this.timeoutMs = opts.timeoutMs;
    this.link = new HttpLink(host, port, opts.timeoutMs);
    // The stream's body has no timeout: silence is what a quiet key sounds like.
    this.streamClient = new Client(`http://${host}:${port}`, { connectTimeout: opts.timeoutMs, headersTimeout: opts.timeoutMs, bodyTimeout: 0 });
    this.ready = new Promise((r) => (this.readyDone = r));
    this.timer = setInterval(() => void this.check(), opts.checkMs);
    void this.check();
  }

  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.timeoutMs);
    try {
      // With a stream open the range is only proof of life: count the keys, send nothing back.
      const r = await this.link.post('/v3/kv/range', { key: b64(this.prefix), range_end: prefixEnd(this.prefix), ...(this.stream ? { count_only: true } : {}) }, ac.signal);
      if (r.status !== 200) throw new Error(`etcd answered ${r.status}`);
      const body = JSON.parse(r.body) as { header?: { revision?: string }; kvs?: RawKv[] };
      const revision = Number(body.header?.revision ?? 0);
      if (this.stopped) return;
      this.connected = this.settled = true;
      // While a stream is open it carries every change in order; a range would only race it.
      if (this.stream) return;
      this.sink.snapshot(revision, (body.kvs ?? []).map((kv) => kvOf(kv, false)));
      // Ready once etcd confirms the watch (or does not in time), so a caller starts with it open.
      await Promise.race([this.openStream(revision + 1), new Promise((r) => setTimeout(r, this.timeoutMs).unref())]);
    } catch {
      if (this.stopped) return;
      this.closeStream();
      const news = this.connected || !this.settled; // report the loss once, not every check
      this.connected = false;
      this.settled = true;
      if (news) this.sink.lost();
    } finally {
      clearTimeout(timer);
      this.checking = false;
      this.readyDone();
    }
  }

  /** Resolves on etcd's first message (the watch is created) or when the stream ends. */
  private openStream(startRevision: number): Promise<void> {
    let created!: () => void;
    const confirmed = new Promise<void>((r) => (created = r));
    const ac = new AbortController();
    this.stream = ac;
    this.streams++;
    const body = JSON.stringify({ create_request: { key: b64(this.prefix), range_end: prefixEnd(this.prefix), start_revision: String(startRevision) } });
    void this.streamClient.request({ method: 'POST', path: '/v3/watch', body, headers: { 'content-type': 'application/json' }, signal: ac.signal })
      .then(async (r) => {
        // The gateway writes one JSON message per line.
        await readLines(r.body, (line) => {
          created();
          return !line || this.onMessage(line);
        });
      })
      .catch(() => undefined)
      .finally(() => {
        ac.abort();
        created();
        if (this.stream === ac) this.stream = undefined; // the next good range reopens it
      });
    return confirmed;
  }

  /** False when the stream is of no further use (cancelled, compacted, an error). */
  private onMessage(line: string): boolean {
    const m = JSON.parse(line) as { result?: { canceled?: boolean; compact_revision?: string; events?: { type?: string; kv?: RawKv }[]; header?: { revision?: string } }; error?: unknown };
    if (!m.result || m.result.canceled || Number(m.result.compact_revision ?? 0) > 0) return false;
    for (const e of m.result.events ?? []) {
      if (!e.kv) continue;
      this.events++;
      if (!this.stopped) this.sink.change(kvOf(e.kv, e.type === 'DELETE', Number(m.result.header?.revision ?? 0)));
    }
    return true;
  }

  private closeStream(): void {
    this.stream?.abort();
    this.stream = undefined;
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.closeStream();
    this.readyDone();
    await Promise.all([this.link.close(), this.streamClient.destroy()]);
  }
}
