// The ledger is read in the judging worker, but a client's readBack lives in the run's thread (the
// client the run opened: a user's module, its connections). The worker asks over a MessagePort, a
// batch of ids at a time, and the run's thread answers with the ids found or the error.
import { MessageChannel, type MessagePort } from 'node:worker_threads';

export type ReadBack = (ids: string[]) => Promise<Set<string>>;

type Answer = { n: number; found: string[] } | { n: number; error: string };

/** The run's side: a port to hand the worker (transfer it), answered until close(). */
export function serveReadBack(readBack: ReadBack): { port: MessagePort; close(): void } {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m: { n: number; ids: string[] }) => {
    Promise.resolve().then(() => readBack(m.ids)).then(
      (found) => port1.postMessage({ n: m.n, found: [...found] } satisfies Answer),
      (e: unknown) => port1.postMessage({ n: m.n, error: (e as Error)?.message ?? String(e) } satisfies Answer),
    );
  });
  return { port: port2, close: () => port1.close() };
}

/** The worker's side: a readBack that asks the run's thread. */
export function askReadBack(port: MessagePort): ReadBack {
  let n = 0;
  const waiting = new Map<number, { resolve(s: Set<string>): void; reject(e: Error): void }>();
  port.on('message', (m: Answer) => {
    const w = waiting.get(m.n);
    waiting.delete(m.n);
    if (!waiting.size) port.unref();
    if ('error' in m) w?.reject(new Error(m.error));
    else w?.resolve(new Set(m.found));
  });
  port.unref();
  return (ids) => new Promise((resolve, reject) => {
    waiting.set(++n, { resolve, reject });
    port.ref();
    port.postMessage({ n, ids });
  });
}
