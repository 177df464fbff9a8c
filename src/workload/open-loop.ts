// An open-loop generator: op i is due at start + i / rate, and is sent when due whatever earlier
// ops are doing, so a stall shows up as latency (counted from the due time), not as fewer ops.
// In-flight ops are capped (rate × timeout × 2) so a dead target cannot pile up sockets without
// bound; an op over the cap is recorded as failed without being sent.
import { startWaker } from './waker.ts';

/** What became of a write; 'client-bug': the client itself failed (a user's client threw), so the op is no evidence. */
export interface SendResult { outcome: 'ok' | 'fail' | 'indeterminate' | 'client-bug'; status?: number; error?: string; nodes?: Record<string, string> }

export interface OpSink {
  invoke(op: { id: string; client: string; scheduledT: number }): void;
  end(op: { id: string } & SendResult): void;
}

export type Send = (client: string, id: string) => Promise<SendResult>;

export interface OpenLoop { stop(): Promise<void>; sent(): number; inFlight(): number }

export function startOpenLoop(o: { rate: number; clients: string[]; idPrefix: string; maxInFlight: number; now: () => number; send: Send; sink: OpSink }): OpenLoop {
  const period = 1000 / o.rate;
  const t0 = o.now();
  let seq = 0;
  let stopped = false;
  const flying = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;

  const fire = (i: number) => {
    const id = `${o.idPrefix}-${i}`;
    const client = o.clients[i % o.clients.length]!;
    o.sink.invoke({ id, client, scheduledT: Math.round((t0 + i * period) * 10) / 10 });
    if (flying.size >= o.maxInFlight) {
      o.sink.end({ id, outcome: 'fail', error: `not sent: ${flying.size} writes already in flight` });
      return;
    }
    const p = o.send(client, id).then((r) => o.sink.end({ id, ...r }), (e: Error) => o.sink.end({ id, outcome: 'indeterminate', error: e.message }))
      .finally(() => flying.delete(p));
    flying.add(p);
  };
  // A helper thread wakes the loop when the next op is due (timers are only good to ~1 ms); a timer
  // stands behind it, and is the quicker on a busy machine (one thread to schedule, not two). While
  // the thread starts, an op due within 1 ms is waited for on each turn of the event loop instead.
  // Each tick re-arms all.
  const waker = startWaker();
  const tick = () => {
    if (stopped) return;
    const due = Math.floor((o.now() - t0) / period);
    while (seq <= due) fire(seq++);
    const wait = t0 + seq * period - o.now();
    clearTimeout(timer);
    clearImmediate(immediate);
    timer = setTimeout(tick, Math.max(1, wait));
    if (waker.state() === 'ready') waker.at(wait, tick);
    else if (waker.state() === 'starting' && wait < 1) immediate = setImmediate(tick);
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearImmediate(immediate);
      await Promise.allSettled([...flying, waker.close()]);
    },
    sent: () => seq,
    inFlight: () => flying.size,
  };
}
