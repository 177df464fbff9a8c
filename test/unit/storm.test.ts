// The storm fault on a real local HTTP server: it sends from its own thread on as many sockets as
// asked, stops at the heal (nothing arrives after), says what it sent, and is refused for a node
// the external client does not reach; dry (validation) it sends nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingContext } from '../../src/runner/recorder.ts';
import { checkFault, injectFault, isFaultlineError, loadTarget, type Target } from '../../src/index.ts';

let server: Server;
let served = 0;
const sockets = new Set<unknown>();
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    served++;
    res.end(req.url === '/fail' ? (res.statusCode = 503, 'no') : 'ok');
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); });

const target = (): Target => {
  const t = loadTarget(undefined, { FAULTLINE_BIND: '127.0.0.1' });
  return { ...t, host: '127.0.0.1', externalClient: { name: 'client', hostPorts: { 'app-a': port } } };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Until the server has seen enough (a busy machine starts a thread slowly), at most 10 s.
async function until(what: () => boolean): Promise<void> {
  for (const end = Date.now() + 10_000; !what(); await sleep(20)) if (Date.now() > end) throw new Error('the storm did not arrive within 10 s');
}

describe('storm', () => {
  it('fills its defaults and refuses what it cannot do', () => {
    expect(checkFault({ kind: 'storm', node: 'app-a' }).value).toEqual({ kind: 'storm', node: 'app-a', connections: 100, path: '/readyz', reconnect: true, timeoutMs: 2000 });
    expect(checkFault({ kind: 'storm', node: 'app-a', connections: 5000, path: 'x' }).problems.map((p) => p.path).sort()).toEqual(['fault.connections', 'fault.path']);
  });

  it('sends from as many connections as asked until healed, then nothing, and journals what it sent', async () => {
    const notes: Record<string, unknown>[] = [];
    const touched: string[] = [];
    const ctx = recordingContext(target(), 'unit', (k) => touched.push(k), { toxiproxy: undefined as never, nodes: undefined as never, note: (type, data) => notes.push({ type, ...data }) });
    served = 0;
    sockets.clear();
    const f = await injectFault({ kind: 'storm', node: 'app-a', connections: 20, path: '/ok' }, ctx, 'f1');
    await until(() => sockets.size >= 40);
    await f.heal();
    const atHeal = served;
    await sleep(200);
    expect(served).toBe(atHeal);
    expect(touched).toEqual(['load:app-a']);
    const stats = notes.find((n) => n.type === 'storm-stats')!;
    expect(stats).toMatchObject({ node: 'app-a', failed: 0 });
    expect(stats.ok).toBe(served);
    expect(f.description).toBe('storm on app-a/ok: 20 client(s), a new connection per request');
  });

  it('keeps its connections alive when asked, and counts refusals as failures', async () => {
    served = 0;
    sockets.clear();
    const notes: Record<string, unknown>[] = [];
    // No load in the context: the kind starts the storm itself (injectFault from code).
    const f = await injectFault({ kind: 'storm', node: 'app-a', connections: 4, path: '/fail', reconnect: false }, { ...recordingContext(target(), 'unit', () => {}), load: undefined, note: (type, data) => notes.push({ type, ...data }) }, 'f2');
    await until(() => served >= 12);
    await f.heal();
    expect(sockets.size).toBe(4);
    expect(notes[0]).toMatchObject({ type: 'storm-stats', ok: 0, failed: served, requests: served });
  });

  it('dry, it sends nothing', async () => {
    served = 0;
    const f = await injectFault({ kind: 'storm', node: 'app-a', connections: 10 }, recordingContext(target(), 'dry', () => {}), 'f3');
    await sleep(100);
    await f.heal();
    expect(served).toBe(0);
  });

  it('is refused for a node the external client does not reach, naming those it does', async () => {
    const e = await injectFault({ kind: 'storm', node: 'pg-a' }, recordingContext(target(), 'dry', () => {}), 'f4').catch((x: unknown) => x);
    expect(isFaultlineError(e)).toBe(true);
    expect((e as Error & { fix: string }).fix).toBe('use one of: app-a');
  });
});
