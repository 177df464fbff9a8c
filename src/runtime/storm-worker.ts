// A storm's own thread: `connections` lanes, each sending one request after another as fast as
// they are answered, so the harness's workload keeps its own event loop. A new connection per
// request (`reconnect`) is a crowd arriving; keep-alive is a crowd that stays. A failed request is
// followed by a short pause, so a refusing server gets a storm, not a busy loop.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { StormSpec, StormStats } from './storm.ts';

const spec = workerData as StormSpec;
const agent = spec.reconnect ? undefined : new Agent({ keepAlive: true, maxSockets: spec.connections });
const stats: StormStats = { requests: 0, ok: 0, failed: 0 };
let stopping = false;

function once(): Promise<boolean> {
  return new Promise((resolve) => {
    stats.requests++;
    const req = request({ host: spec.host, port: spec.port, path: spec.path, method: 'GET', agent: agent ?? false, timeout: spec.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => {
        const ok = (res.statusCode ?? 500) < 400;
        if (ok) stats.ok++; else stats.failed++;
        resolve(ok);
      });
      res.on('error', () => { stats.failed++; resolve(false); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => { stats.failed++; resolve(false); });
    req.end();
  });
}

async function lane(): Promise<void> {
  while (!stopping) if (!(await once()) && !stopping) await new Promise((r) => setTimeout(r, 20));
}

const lanes = Array.from({ length: spec.connections }, lane);
parentPort!.once('message', () => {
  stopping = true;
  void Promise.all(lanes).then(() => {
    agent?.destroy();
    parentPort!.postMessage(stats);
  });
});
