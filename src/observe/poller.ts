// One node as one source sees it, asked once per tick. At most one request is in flight: a tick
// that finds the last poll still running starts nothing; it leaves one follow-up poll due for when
// that poll ends (several missed ticks still make one), so a slow answer on a busy machine costs a
// few ms of the rate, not a whole tick. A poll unanswered at its timeout is aborted (the probe drops
// that connection) and counts as "down" only then, not earlier.
import { DOWN } from './values.ts';

/** An observed value, with the epoch (a Patroni primary's timeline) when the source knows one. */
export interface Reading { value: string; epoch?: number }

/** One request to one node over the source's persistent connection. */
export interface Probe {
  /** Resolves with the observed value; rejects when the node cannot answer. Abort drops the connection. */
  poll(signal: AbortSignal): Promise<string | Reading>;
  /** False when the next poll must first open a connection (handshake, login), which gets the longer timeout. */
  connected(): boolean;
  /** Close every connection the probe holds. */
  close(): Promise<void>;
  /** A poll slow by nature (a command run in a container) sets its own timeout instead. */
  timeoutMs?: number;
}

export interface PollTimeouts {
  /** A request on an open connection. */
  timeoutMs: number;
  /** A request that must connect first. */
  connectTimeoutMs: number;
}

const abortedBy = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('poll timed out')), { once: true }));

export class Poller {
  /** Polls completed (answered, failed or timed out). */
  polls = 0;
  /** Settles when the first poll has a value (answered, failed or timed out). */
  readonly firstPoll: Promise<void>;
  private firstDone!: () => void;
  private running: Promise<void> | undefined;
  private due = false;
  private stopped = false;
  private readonly probe: Probe;
  private readonly timeouts: PollTimeouts;
  private readonly onValue: (value: string, epoch?: number) => void;

  constructor(probe: Probe, timeouts: PollTimeouts, onValue: (value: string, epoch?: number) => void) {
    this.probe = probe;
    this.timeouts = timeouts;
    this.onValue = onValue;
    this.firstPoll = new Promise((resolve) => (this.firstDone = resolve));
  }

  private burstUntil = 0;
  private burstTimer: NodeJS.Timeout | undefined;

  /**
   * Poll back to back, at most every `gapMs`, for `ms`: while the system has announced a change
   * this source will show (a promotion under way), so its moment is seen to a few ms instead of
   * to a tick. Costs nothing the rest of the time.
   */
  burst(ms: number, gapMs = 2): void {
    if (this.stopped) return;
    const idle = this.burstUntil <= performance.now();
    this.burstUntil = Math.max(this.burstUntil, performance.now() + ms);
    if (!idle) return;
    const step = (): void => {
      if (this.stopped || performance.now() > this.burstUntil) return;
      this.tick();
      this.burstTimer = setTimeout(step, gapMs);
    };
    step();
  }

  tick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.due = true;
      return;
    }
    this.running = this.loop();
  }

  /** onValue must not throw: a poll loop has no caller to report to. */
  private async loop(): Promise<void> {
    try {
      do {
        this.due = false;
        await this.once();
      } while (this.due && !this.stopped);
    } finally {
      this.running = undefined;
    }
  }

  private async once(): Promise<void> {
    const ac = new AbortController();
    // The abort waits for setImmediate: after a stall of this process (a busy machine), timers run
    // before sockets are read, and an answer already in the buffer must win over the timeout.
    let late: NodeJS.Immediate | undefined;
    const timer = setTimeout(() => (late = setImmediate(() => ac.abort())), this.probe.timeoutMs ?? (this.probe.connected() ? this.timeouts.timeoutMs : this.timeouts.connectTimeoutMs));
    let r: Reading;
    try {
      // The race frees this poller at the timeout even if a client library ignored the abort.
      const got = await Promise.race([this.probe.poll(ac.signal), abortedBy(ac.signal)]);
      r = typeof got === 'string' ? { value: got } : got;
    } catch {
      r = { value: DOWN };
    } finally {
      clearTimeout(timer);
      clearImmediate(late);
    }
    this.polls++;
    if (!this.stopped) this.onValue(r.value, r.epoch);
    this.firstDone();
  }

  /** Settles once no poll is in flight (never, while polls keep overrunning their ticks and it is not stopped). */
  async idle(): Promise<void> {
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.burstTimer);
    this.firstDone(); // nobody waits for a first value that will never come
    await this.idle();
    await this.probe.close();
  }
}
