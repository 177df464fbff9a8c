// A persistent connection to one Redis or Sentinel for one-command polls. ioredis's own retry is
// off: after any failure or abort the connection is dropped and the next poll opens a new one, so a
// command that timed out can never answer the next poll, and no reconnect timer outlives stop().
import { Redis } from 'ioredis';
import { Closing } from './sockets.ts';

export class RedisLink {
  private conn: Redis | undefined;
  private readonly closing = new Closing();
  private readonly host: string;
  private readonly port: number;
  private readonly timeoutMs: number;

  constructor(host: string, port: number, timeoutMs: number) {
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  connected(): boolean {
    return this.conn?.status === 'ready';
  }

  async call(signal: AbortSignal, ...args: [string, ...string[]]): Promise<unknown> {
    const r = this.conn?.status === 'ready' ? this.conn : this.open();
    const drop = (): void => this.drop(r);
    signal.addEventListener('abort', drop, { once: true });
    try {
      if (r.status !== 'ready') await r.connect();
      return await r.call(...args);
    } catch (e) {
      drop();
      throw e;
    } finally {
      signal.removeEventListener('abort', drop);
    }
  }

  private open(): Redis {
    if (this.conn) this.drop(this.conn);
    const r = new Redis({
      host: this.host, port: this.port, lazyConnect: true, connectTimeout: this.timeoutMs,
      // Ready on connect: no INFO ready check, no CLIENT SETINFO (two round trips that Redis < 7.2
      // refuses anyway); no queue and no retry (a failure means "down" now).
      enableReadyCheck: false, disableClientInfo: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null,
    });
    r.on('error', () => undefined); // failures surface as rejected polls
    this.conn = r;
    return r;
  }

  private drop(r: Redis): void {
    if (this.conn === r) this.conn = undefined;
    r.disconnect();
    void this.closing.destroy(r.stream); // disconnect() only half-closes; a paused peer would keep it open
  }

  async close(): Promise<void> {
    if (this.conn) this.drop(this.conn);
    await this.closing.settled();
  }
}
