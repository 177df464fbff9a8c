// An open-loop generator: op i is due at start + i / rate, and is sent when due whatever earlier
// ops are doing, so a stall shows up as latency (counted from the due time), not as fewer ops.
// In-flight ops are capped (rate × timeout × 2) so a dead target cannot pile up sockets without
// bound; an op over the cap is recorded as failed without being sent.
export interface OpSink {
  invoke(op: { id: string; client: string; scheduledT: number }): void;
  end(op: { id: string; outcome: 'ok' | 'fail' | 'indeterminate'; status?: number; error?: string; nodes?: Record<string, string> }): void;
}

export type Send = (client: string, id: string) => Promise<{ outcome: 'ok' | 'fail' | 'indeterminate'; status?: number; error?: string; nodes?: Record<string, string> }>;

export interface OpenLoop { stop(): Promise<void>; sent(): number; inFlight(): number }

export function startOpenLoop(o: { rate: number; clients: string[]; idPrefix: string; maxInFlight: number; now: () => number; send: Send; sink: OpSink }): OpenLoop {
  const period = 1000 / o.rate;
  const t0 = o.now();
  let seq = 0;
  let stopped = false;
  const flying = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;

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
  const tick = () => {
    if (stopped) return;
    const due = Math.floor((o.now() - t0) / period);
    while (seq <= due) fire(seq++);
    timer = setTimeout(tick, Math.max(1, t0 + seq * period - o.now()));
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...flying]);
    },
    sent: () => seq,
    inFlight: () => flying.size,
  };
}
