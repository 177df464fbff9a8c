// A wake-up at a sub-millisecond deadline without spinning. Node's timers count whole milliseconds,
// so one fires up to ~1 ms off; spinning on setImmediate instead burns a core and, on a busy
// machine, gets the process preempted mid-spin. A helper thread sleeps in Atomics.wait (a futex
// with a nanosecond timeout) until the deadline, then posts a message that wakes the event loop.
import { Worker } from 'node:worker_threads';

/** 'starting' for the few ms the thread takes to start; 'gone' if it ever fails (a pending wake-up is then run at once). */
export interface Waker { state(): 'starting' | 'ready' | 'gone'; at(inMs: number, fn: () => void): void; close(): Promise<void> }

// The thread: gen[0] changes whenever the deadline does (−1: close); dl[0] is the deadline on
// process.hrtime (shared by every thread), 0n for none. It posts the generation it slept for, so a
// wake-up for a deadline since replaced is ignored.
const THREAD = `
const { workerData: w, parentPort } = require('node:worker_threads');
const gen = new Int32Array(w.gen), dl = new BigInt64Array(w.dl);
for (;;) {
  const g = Atomics.load(gen, 0);
  if (g < 0) break;
  const d = Atomics.load(dl, 0);
  const left = d === 0n ? Infinity : Number(d - process.hrtime.bigint()) / 1e6;
  if (left > 0 && Atomics.wait(gen, 0, g, left) !== 'timed-out') continue;
  if (Atomics.load(gen, 0) !== g) continue;
  parentPort.postMessage(g);
  Atomics.wait(gen, 0, g);
}`;

export function startWaker(): Waker {
  const gen = new Int32Array(new SharedArrayBuffer(4));
  const dl = new BigInt64Array(new SharedArrayBuffer(8));
  let thread: Worker;
  try {
    thread = new Worker(THREAD, { eval: true, workerData: { gen: gen.buffer, dl: dl.buffer } });
  } catch {
    // No threads allowed (e.g. under --permission): a waker that is gone from the start.
    return { state: () => 'gone', at: (_inMs, fn) => void setImmediate(fn), close: async () => undefined };
  }
  thread.unref();  // whoever uses it keeps a timer or I/O of its own; this must not hold the process
  let state: 'starting' | 'ready' | 'gone' = 'starting';
  let pending: (() => void) | undefined;
  const run = () => {
    const fn = pending;
    pending = undefined;
    fn?.();
  };
  const gone = () => {
    state = 'gone';
    run();
  };
  thread.once('online', () => { if (state === 'starting') state = 'ready'; });
  thread.once('error', gone);
  thread.once('exit', gone);
  thread.on('message', (g: number) => { if (g === Atomics.load(gen, 0)) run(); });
  return {
    state: () => state,
    at(inMs, fn) {
      pending = fn;
      Atomics.store(dl, 0, process.hrtime.bigint() + BigInt(Math.max(0, Math.round(inMs * 1e6))));
      Atomics.store(gen, 0, (Atomics.load(gen, 0) + 1) & 0x3fffffff);
      Atomics.notify(gen, 0);
    },
    async close() {
      pending = undefined;
      state = 'gone';
      Atomics.store(gen, 0, -1);
      Atomics.notify(gen, 0);
      await thread.terminate();
    },
  };
}
