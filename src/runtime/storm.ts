// A connection storm against one HTTP endpoint, run in a worker thread and stopped on demand:
// what a crowd of clients does to a service (a live event's joins, retries after an outage).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface StormSpec { host: string; port: number; path: string; connections: number; reconnect: boolean; timeoutMs: number }
export interface StormStats { requests: number; ok: number; failed: number }
/** Stops the storm; resolves with what it sent once every lane has finished its last request. */
export type StopStorm = () => Promise<StormStats>;

const WORKER = new URL(`./storm-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export async function startStorm(spec: StormSpec): Promise<StopStorm> {
  const worker = new Worker(WORKER, { workerData: spec });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  let stopped: Promise<StormStats> | undefined;
  return () => (stopped ??= new Promise<StormStats>((resolve, reject) => {
    // A lane waits at most its request timeout, so a stop is bounded by it.
    const timer = setTimeout(() => void worker.terminate().then(() => reject(new Error(`the storm did not stop within ${spec.timeoutMs + 5000} ms`))), spec.timeoutMs + 5000);
    worker.once('message', (s: StormStats) => {
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(s));
    });
    worker.once('error', (e) => { clearTimeout(timer); reject(e); });
    worker.postMessage('stop');
  }));
}
