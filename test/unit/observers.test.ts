// The observe layer without a mesh: raw answers mapped to values, only changes reported, what gets
// watched on which target, one poll in flight with "down" only at the timeout, and a whole observer
// set against a stand-in Redis on loopback.
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, FaultlineError, loadTarget, parseTarget, startObservers, type Target } from '../../src/index.ts';
import { Changes } from '../../src/observe/changes.ts';
import { Poller, type Probe } from '../../src/observe/poller.ts';
import { startTicker } from '../../src/observe/ticker.ts';
import { patroniValue, readyValue, recoveryValue, redisRoleValue, sentinelMasterValue } from '../../src/observe/values.ts';
import { watchList } from '../../src/observe/watch-list.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('values', () => {
  it('maps Patroni roles, and names a stopped Postgres by its state', () => {
    for (const role of ['leader', 'master', 'primary']) expect(patroniValue({ state: 'running', role })).toBe('primary');
    for (const role of ['replica', 'sync_standby']) expect(patroniValue({ state: 'running', role })).toBe('replica');
    expect(patroniValue({ role: 'master' })).toBe('primary'); // no state field: trust the role
    expect(patroniValue({ state: 'stopped', role: 'master' })).toBe('stopped');
    expect(patroniValue({ state: 'running', role: 'uninitialized' })).toBe('uninitialized');
    expect(patroniValue(null)).toBe('unknown');
  });

  it('maps recovery, ROLE, Sentinel and readiness answers', () => {
    expect(recoveryValue(false)).toBe('primary');
    expect(recoveryValue(true)).toBe('replica');
    expect(redisRoleValue(['master', 0, []])).toBe('primary');
    expect(redisRoleValue(['slave', 'redis-a', 6379, 'connected', 10])).toBe('replica');
    expect(redisRoleValue(['sentinel', ['mymaster']])).toBe('sentinel');
    expect(redisRoleValue('OK')).toBe('unknown');
    expect(sentinelMasterValue(['redis-b', '6380'])).toBe('redis-b');
    expect(sentinelMasterValue(null)).toBe('none');
    expect(readyValue(200)).toBe('ready');
    expect(readyValue(503)).toBe('not-ready');
  });
});

describe('change detection', () => {
  it('reports a key first value and each change, never a repeat', () => {
    const c = new Changes();
    const seen = ['primary', 'primary', 'down', 'down', 'replica', 'primary'].filter((v) => c.update('redis-a:redis-role', v));
    expect(seen).toEqual(['primary', 'down', 'replica', 'primary']);
    expect(c.update('redis-b:redis-role', 'primary')).toBe(true); // keys are independent
    const snap = c.snapshot();
    snap.set('redis-a:redis-role', 'forged');
    expect(c.snapshot().get('redis-a:redis-role')).toBe('primary');
  });
});

describe('what is watched', () => {
  it('every postgres, redis, sentinel and app node of the reference mesh, on its published port, with its store', () => {
    const w = watchList(loadTarget(undefined, {}));
    expect(w.map((x) => `${x.node}:${x.source}`).sort()).toEqual([
      'app-a:app-ready', 'app-b:app-ready', 'pg-a:patroni', 'pg-a:pg-recovery', 'pg-b:patroni', 'pg-b:pg-recovery',
      'redis-a:redis-role', 'redis-b:redis-role', 'sentinel-a:sentinel', 'sentinel-b:sentinel', 'sentinel-c:sentinel',
    ]);
    expect(w.find((x) => x.node === 'pg-b' && x.source === 'patroni')).toEqual({ node: 'pg-b', source: 'patroni', store: 'postgres', port: 18009 });
    expect(w.find((x) => x.node === 'pg-a' && x.source === 'pg-recovery')?.port).toBe(15432);
    expect(w.find((x) => x.node === 'sentinel-c')).toMatchObject({ store: 'redis', port: 36381 });
    expect(w.find((x) => x.node === 'app-a')).toEqual({ node: 'app-a', source: 'app-ready', port: 13000 });
  });

  it('nothing for kinds a target lacks', () => {
    const tiny = loadTarget(new URL('../fixtures/tiny/target.json', import.meta.url).pathname, {});
    expect(watchList(tiny)).toEqual([
      { node: 'redis-a', source: 'redis-role', store: 'cache', port: 17379 },
      { node: 'redis-b', source: 'redis-role', store: 'cache', port: 17380 },
    ]);
  });

  it('refuses a target whose nodes do not publish the ports observers ask, naming each', () => {
    const raw = JSON.parse(JSON.stringify(loadTarget(undefined, {}))) as { nodes: Record<string, { hostPorts: Record<string, number> }> };
    delete raw.nodes['pg-a']!.hostPorts.patroni;
    delete raw.nodes['app-b']!.hostPorts.http;
    const t = parseTarget(raw, 'no-ports.json', {});
    let err: unknown;
    try {
      watchList(t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FaultlineError);
    expect((err as FaultlineError).code).toBe(ErrorCodes.BAD_TARGET);
    expect((err as FaultlineError).details.map((d) => d.path)).toEqual(['nodes.pg-a.hostPorts.patroni', 'nodes.app-b.hostPorts.http']);
  });
});

/** A probe whose answers the test hands out one by one. */
function scriptedProbe() {
  const calls: { signal: AbortSignal; answer: (v: string) => void; fail: () => void }[] = [];
  let isConnected = true;
  let closed = false;
  const probe: Probe = {
    poll: (signal) => new Promise((answer, reject) => calls.push({ signal, answer, fail: () => reject(new Error('refused')) })),
    connected: () => isConnected,
    close: async () => void (closed = true),
  };
  return { probe, calls, setConnected: (c: boolean) => (isConnected = c), closed: () => closed };
}

describe('poller', () => {
  afterEach(() => void vi.useRealTimers());

  it('keeps one poll in flight; ticks meanwhile leave exactly one follow-up', async () => {
    const p = scriptedProbe();
    const values: string[] = [];
    const poller = new Poller(p.probe, { timeoutMs: 1000, connectTimeoutMs: 1000 }, (v) => values.push(v));
    poller.tick();
    poller.tick();
    poller.tick();
    expect(p.calls).toHaveLength(1);
    p.calls[0]!.answer('primary');
    await vi.waitFor(() => expect(p.calls).toHaveLength(2));
    p.calls[1]!.fail();
    await poller.idle();
    expect(p.calls).toHaveLength(2);
    expect(values).toEqual(['primary', 'down']);
    expect(poller.polls).toBe(2);
    await poller.stop();
    expect(p.closed()).toBe(true);
  });

  it('says "down" for an unanswered poll only when its timeout passes, and aborts it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // setImmediate stays real: the abort waits for one
    const loopTurn = () => new Promise((r) => setImmediate(r));
    const p = scriptedProbe();
    const values: string[] = [];
    const poller = new Poller(p.probe, { timeoutMs: 250, connectTimeoutMs: 1000 }, (v) => values.push(v));
    poller.tick();
    await vi.advanceTimersByTimeAsync(249);
    expect(values).toEqual([]);
    expect(p.calls[0]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await loopTurn();
    expect(values).toEqual(['down']);
    expect(p.calls[0]!.signal.aborted).toBe(true);
    p.calls[0]!.answer('primary'); // too late: ignored
    // Not connected: the poll that must connect first gets the longer timeout.
    p.setConnected(false);
    poller.tick();
    await vi.advanceTimersByTimeAsync(999);
    expect(values).toEqual(['down']);
    p.calls[1]!.answer('replica');
    await loopTurn();
    expect(values).toEqual(['down', 'replica']);
    await poller.stop();
  });

  it('lets an answer that arrived while this process was stalled win over the timeout', async () => {
    // The answer comes from another process (so it arrives while this one is blocked) into a pipe.
    const probe: Probe = {
      poll: () => new Promise((resolve, reject) => {
        const child = spawn('sh', ['-c', 'printf primary'], { stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.once('data', (d: Buffer) => resolve(d.toString()));
        child.once('error', reject);
      }),
      connected: () => true,
      close: async () => undefined,
    };
    const values: string[] = [];
    const poller = new Poller(probe, { timeoutMs: 100, connectTimeoutMs: 100 }, (v) => values.push(v));
    poller.tick();
    const until = performance.now() + 600;
    while (performance.now() < until); // a stall of this process, past the timeout
    await poller.idle();
    expect(values).toEqual(['primary']);
  });

  it('reports nothing after stop(), and stop() waits for the poll in flight', async () => {
    const p = scriptedProbe();
    const values: string[] = [];
    const poller = new Poller(p.probe, { timeoutMs: 1000, connectTimeoutMs: 1000 }, (v) => values.push(v));
    poller.tick();
    const stopped = poller.stop();
    poller.tick();
    p.calls[0]!.answer('primary');
    await stopped;
    expect(values).toEqual([]);
    expect(p.calls).toHaveLength(1);
    expect(p.closed()).toBe(true);
  });
});

describe('ticker', () => {
  afterEach(() => void vi.useRealTimers());

  it('ticks on a fixed grid, and drops the ticks a blocked loop missed instead of bursting', async () => {
    vi.useFakeTimers();
    let blocked = 0; // ms the "event loop" lost, added to the clock the ticker reads
    const now = () => Date.now() + blocked;
    const t0 = now();
    const at: number[] = [];
    const t = startTicker(50, () => {
      at.push(now() - t0);
      if (at.length === 3) blocked += 180; // the third tick's work holds the loop until t = 280
    }, now);
    await vi.advanceTimersByTimeAsync(400);
    t.stop();
    await vi.advanceTimersByTimeAsync(500);
    // 150, 200 and 250 fell inside the block; the next tick keeps to the grid.
    expect(at).toEqual([0, 50, 100, 300, 350, 400, 450, 500, 550]);
  });
});

/** A stand-in Redis that knows one command, ROLE, and answers with its current role; "hang" answers nothing. */
async function fakeRedis(): Promise<{ port: number; role: { now: 'master' | 'slave' | 'hang' }; server: Server; close(): Promise<void> }> {
  const role = { now: 'master' as 'master' | 'slave' | 'hang' };
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('data', (chunk: Buffer) => {
      for (let n = chunk.toString().split('ROLE').length - 1; n > 0; n--) {
        if (role.now === 'master') s.write('*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n');
        else if (role.now === 'slave') s.write('*5\r\n$5\r\nslave\r\n$7\r\nredis-a\r\n:6379\r\n$9\r\nconnected\r\n:0\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port, role, server,
    close: () => new Promise<void>((r) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => r());
    }),
  };
}

function redisPairTarget(portA: number, portB: number): Target {
  const node = (zone: string, port: number) => ({ zone, kind: 'redis', service: `redis-${zone}`, ports: { redis: 6379 }, hostPorts: { redis: port } });
  return parseTarget({
    project: 'observers-unit', composeFile: 'none.yml', zones: { a: 'a', b: 'b' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
    nodes: { 'redis-a': node('a', portA), 'redis-b': node('b', portB) }, stores: { cache: { members: ['redis-a', 'redis-b'] } }, links: [],
  }, 'unit', { FAULTLINE_BIND: '127.0.0.1' });
}

describe('observers on loopback', () => {
  it('poll at the asked rate, report each change once, see a refused node as down, and close everything on stop()', async () => {
    const redis = await fakeRedis();
    const gone = await fakeRedis();
    await gone.close(); // a port nobody listens on any more: connections are refused
    const seen: string[] = [];
    const obs = await startObservers(redisPairTarget(redis.port, gone.port), {
      observe: (o) => seen.push(`${o.node}:${o.source}=${o.value}@${o.store}`),
      sentinelEvent: () => undefined,
    }, { timeoutMs: 100 });
    expect(seen.sort()).toEqual(['redis-a:redis-role=primary@cache', 'redis-b:redis-role=down@cache']); // first values, before it resolves

    // Both pollers keep the rate: the answering node and the refusing one alike.
    const s1 = obs.stats();
    const w1 = performance.now();
    await sleep(1000);
    const s2 = obs.stats();
    for (const key of ['redis-a:redis-role', 'redis-b:redis-role']) {
      expect((s2.byPoller[key]! - s1.byPoller[key]!) / ((performance.now() - w1) / 1000), key).toBeGreaterThanOrEqual(20);
    }
    redis.role.now = 'slave';
    await vi.waitFor(() => expect(obs.current().get('redis-a:redis-role')).toBe('replica'), { timeout: 1000, interval: 10 });
    redis.role.now = 'hang';
    const hung = performance.now();
    await vi.waitFor(() => expect(obs.current().get('redis-a:redis-role')).toBe('down'), { timeout: 1000, interval: 10 });
    expect(performance.now() - hung).toBeGreaterThanOrEqual(90); // not before the 100 ms timeout
    redis.role.now = 'master';
    await vi.waitFor(() => expect(obs.current().get('redis-a:redis-role')).toBe('primary'), { timeout: 2000, interval: 10 });
    expect(seen.filter((s) => s.startsWith('redis-a'))).toEqual(['redis-a:redis-role=primary@cache', 'redis-a:redis-role=replica@cache',
      'redis-a:redis-role=down@cache', 'redis-a:redis-role=primary@cache']);
    expect(seen.filter((s) => s.startsWith('redis-b'))).toEqual(['redis-b:redis-role=down@cache']);

    await obs.stop();
    // Our side is closed when stop() resolves; the server hears the FIN a moment later.
    const connections = () => new Promise<number>((r) => redis.server.getConnections((_e, n) => r(n)));
    await vi.waitFor(async () => expect(await connections()).toBe(0), { timeout: 1000, interval: 10 });
    await redis.close();
  });

  it('resolve with "down" for a node that accepts connections but never answers', async () => {
    const redis = await fakeRedis();
    redis.role.now = 'hang';
    const t0 = performance.now();
    const obs = await startObservers(redisPairTarget(redis.port, redis.port), { observe: () => undefined, sentinelEvent: () => undefined }, { timeoutMs: 100, connectTimeoutMs: 300 });
    const took = performance.now() - t0;
    expect(obs.current().get('redis-a:redis-role')).toBe('down');
    expect(took).toBeGreaterThanOrEqual(290); // a poll that must connect first gets the connect timeout
    expect(took).toBeLessThan(3000);
    await obs.stop();
    await redis.close();
  });

  it('start nothing for a target without observable kinds, and refuse a nonsense rate', async () => {
    const t = parseTarget({
      project: 'etcd-only', composeFile: 'none.yml', zones: { a: 'a' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
      nodes: { 'etcd-a': { zone: 'a', kind: 'etcd', service: 'etcd-a', ports: { client: 2379 }, hostPorts: { client: 12379 } } }, links: [],
    }, 'unit', {});
    const obs = await startObservers(t, { observe: () => undefined, sentinelEvent: () => undefined });
    expect(obs.current().size).toBe(0);
    expect(obs.stats().polls).toBe(0);
    await obs.stop();
    await expect(startObservers(t, { observe: () => undefined, sentinelEvent: () => undefined }, { hz: 0 })).rejects.toMatchObject({ code: ErrorCodes.BAD_INPUT });
  });
});
