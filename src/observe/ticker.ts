// One timer drives every poller: fewer wake-ups than a timer per node on a small machine. Ticks
// are due at fixed times from the start (t0 + k·period), so a late callback does not push every
// later tick back; ticks missed while the event loop was blocked are dropped, not replayed in a burst.

export interface Ticker { stop(): void }

/** `now` is a monotonic clock in ms (a parameter so a test can make the loop look blocked). */
export function startTicker(periodMs: number, onTick: () => void, now: () => number = () => performance.now()): Ticker {
  const t0 = now();
  let k = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    const t = now();
    k = Math.max(k + 1, Math.ceil((t - t0) / periodMs));
    timer = setTimeout(run, t0 + k * periodMs - t);
  };
  const run = (): void => {
    if (stopped) return;
    onTick();
    schedule();
  };
  run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
