// The observe layer without a mesh: raw answers mapped to values, only changes reported, what gets
// watched on which target, one poll in flight with "down" only at the timeout, and a whole observer
// set against a stand-in Redis on loopback.
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, FaultlineError, loadTarget, parseTarget, startObservers, type Target } from '../../src/index.ts';
import { Changes } from '../../src/observe/changes.ts';
import { Poller, type Probe } from '../../src/observe/poller.ts';
import { startTicker } from '../../src/observe/ticker.ts';
import { dcsLeaderValue, haproxyValue, patroniEpoch, patroniMemberValue, patroniValue, readyValue, recoveryValue, redisRoleValue, sentinelMasterValue } from '../../src/observe/values.ts';
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

  it('gives a Patroni primary its timeline as epoch, and nobody else', () => {
    expect(patroniEpoch({ state: 'running', role: 'master', timeline: 3 })).toBe(3);
    expect(patroniEpoch({ state: 'running', role: 'replica', timeline: 3 })).toBeUndefined();
    expect(patroniEpoch({ state: 'stopped', role: 'master', timeline: 3 })).toBeUndefined(); // not running: not a primary
    expect(patroniEpoch({ state: 'running', role: 'master' })).toBeUndefined();
    expect(patroniEpoch({ state: 'running', role: 'master', timeline: '3' })).toBeUndefined();
  });

  it('maps Patroni member keys as GET /patroni, a gone key as down', () => {
    const key = (o: object) => JSON.stringify({ conn_url: 'postgres://pg-b:5433/postgres', version: '3.0.2', xlog_location: 50606216, ...o });
    expect(patroniMemberValue(key({ state: 'running', role: 'master', timeline: 2 }))).toEqual({ value: 'primary', epoch: 2 });
    expect(patroniMemberValue(key({ state: 'running', role: 'replica', timeline: 2 }))).toEqual({ value: 'replica' });
    expect(patroniMemberValue(key({ state: 'starting', role: 'replica' }))).toEqual({ value: 'starting' });
    expect(patroniMemberValue(key({ state: 'crashed', role: 'master', timeline: 2 }))).toEqual({ value: 'crashed' });
    expect(patroniMemberValue(null)).toEqual({ value: 'down' });
    expect(patroniMemberValue('{not json')).toEqual({ value: 'unknown' });
  });

  it('names the DCS leader, or none', () => {
    expect(dcsLeaderValue('pg-b')).toBe('pg-b');
    expect(dcsLeaderValue(null)).toBe('none');
    expect(dcsLeaderValue('')).toBe('none');
  });

  it('reads which member an HAProxy routes to from its stats CSV', () => {
    const header = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight';
    const row = (px: string, sv: string, status: string) => `${px},${sv},0,0,0,0,,0,0,0,,0,,0,0,0,0,${status},1`;
    const csv = (a: string, b: string) => [header, row('postgres', 'FRONTEND', 'OPEN'), row('postgres', 'pg-a', a), row('postgres', 'pg-b', b), row('postgres', 'BACKEND', 'UP'),
      row('stats', 'FRONTEND', 'OPEN'), row('stats', 'BACKEND', 'UP'), ''].join('\n');
    const members = ['pg-a', 'pg-b'];
    expect(haproxyValue(csv('UP', 'DOWN'), members)).toBe('pg-a');
    expect(haproxyValue(csv('DOWN', 'UP'), members)).toBe('pg-b');
    expect(haproxyValue(csv('UP 1/2', 'DOWN 1/2'), members)).toBe('pg-a'); // still routed to until `fall` checks failed
    expect(haproxyValue(csv('DOWN', 'DOWN'), members)).toBe('none');
    expect(haproxyValue(csv('MAINT', 'no check'), members)).toBe('none');
    expect(haproxyValue(csv('UP', 'UP'), members)).toBe('pg-a+pg-b'); // two writable routes: said, not hidden
    expect(haproxyValue(csv('DOWN', 'UP'))).toBe('pg-b'); // without members: the first proxy with servers
    expect(() => haproxyValue('<html>stats</html>', members)).toThrow(/not an HAProxy stats CSV/);
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
      'app-a:app-ready', 'app-b:app-ready', 'etcd-a:dcs-leader', 'etcd-b:dcs-leader', 'etcd-c:dcs-leader', 'haproxy-a:haproxy', 'haproxy-b:haproxy',
      'pg-a:patroni', 'pg-a:pg-recovery', 'pg-b:patroni', 'pg-b:pg-recovery',
      'redis-a:redis-role', 'redis-b:redis-role', 'redis-c:redis-role', 'sentinel-a:sentinel', 'sentinel-b:sentinel', 'sentinel-c:sentinel',
    ]);
    expect(w.find((x) => x.node === 'etcd-b')).toEqual({ node: 'etcd-b', source: 'dcs-leader', store: 'postgres', port: 12479 });
    expect(w.find((x) => x.node === 'haproxy-a')).toEqual({ node: 'haproxy-a', source: 'haproxy', store: 'postgres', port: 17000 });
    expect(w.find((x) => x.node === 'pg-b' && x.source === 'patroni')).toEqual({ node: 'pg-b', source: 'patroni', store: 'postgres', port: 18009 });
    expect(w.find((x) => x.node === 'pg-a' && x.source === 'pg-recovery')?.port).toBe(15432);
    expect(w.find((x) => x.node === 'sentinel-c')).toMatchObject({ store: 'redis', port: 36381 });
    // The fencing witness is watched (its ROLE is evidence too), but it is no member of the store.
    expect(w.find((x) => x.node === 'redis-c')).toEqual({ node: 'redis-c', source: 'redis-role', port: 16381 });
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

  it('a burst polls back to back while it lasts (a promotion under way), and nothing after', async () => {
    let polls = 0;
    const probe: Probe = { poll: async () => (polls++, 'replica'), connected: () => true, close: async () => undefined };
    const poller = new Poller(probe, { timeoutMs: 1000, connectTimeoutMs: 1000 }, () => undefined);
    poller.burst(100, 2);
    await new Promise((r) => setTimeout(r, 150));
    const during = polls;
    await new Promise((r) => setTimeout(r, 100));
    await poller.stop();
    // Every ~2 ms for 100 ms, with no ticks at all: far more than the 2-3 a 20 Hz ticker would make.
    expect(during).toBeGreaterThan(15);
    expect(polls).toBe(during);
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

  it('start nothing for a target without observable kinds, say what it could not watch, and refuse nonsense options', async () => {
    const t = parseTarget({
      project: 'etcd-only', composeFile: 'none.yml', zones: { a: 'a' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
      nodes: { 'etcd-a': { zone: 'a', kind: 'etcd', service: 'etcd-a', ports: { client: 2379 }, hostPorts: { client: 12379 } } }, links: [],
    }, 'unit', {});
    const obs = await startObservers(t, { observe: () => undefined, sentinelEvent: () => undefined });
    expect(obs.current().size).toBe(0);
    expect(obs.stats().polls).toBe(0);
    expect(obs.skipped).toEqual([{ node: 'etcd-a', source: 'dcs-leader', reason: 'not a consensus node of any store' }]);
    await obs.stop();
    await expect(startObservers(t, { observe: () => undefined, sentinelEvent: () => undefined }, { hz: 0 })).rejects.toMatchObject({ code: ErrorCodes.BAD_INPUT });
    await expect(startObservers(t, { observe: () => undefined, sentinelEvent: () => undefined }, { patroniVia: 'zk' as 'dcs' })).rejects.toMatchObject({ code: ErrorCodes.BAD_INPUT });
  });

  it("log in to Postgres with the store's credentials; a store without them is not asked pg_is_in_recovery(), and says so", async () => {
    const gone = await fakeRedis();
    await gone.close(); // nothing listens: every poll is "down", no login happens
    const pgTarget = (store: Record<string, unknown>) => parseTarget({
      project: 'pg-unit', composeFile: 'none.yml', zones: { a: 'a' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
      nodes: { 'pg-a': { zone: 'a', kind: 'postgres', service: 'pg-a', ports: { postgres: 5432, patroni: 8008 }, hostPorts: { postgres: gone.port, patroni: gone.port } } },
      stores: { db: { members: ['pg-a'], ...store } }, links: [],
    }, 'unit', { FAULTLINE_BIND: '127.0.0.1' });
    const sink = { observe: () => undefined, sentinelEvent: () => undefined };
    const opts = { timeoutMs: 50, connectTimeoutMs: 100 };

    const without = await startObservers(pgTarget({}), sink, opts);
    expect(without.skipped).toEqual([{ node: 'pg-a', source: 'pg-recovery', store: 'db', reason: 'no Postgres login: declare credentials {user, password, database} on store db' }]);
    expect(Object.keys(without.stats().byPoller)).toEqual(['pg-a:patroni']); // no DCS declared: Patroni over REST
    await without.stop();

    const withCreds = await startObservers(pgTarget({ credentials: { user: 'u', password: 'p', database: 'd' } }), sink, opts);
    expect(withCreds.skipped).toEqual([]);
    expect(Object.keys(withCreds.stats().byPoller).sort()).toEqual(['pg-a:patroni', 'pg-a:pg-recovery']);
    expect(withCreds.current().get('pg-a:pg-recovery')).toBe('down');
    await withCreds.stop();

    const overridden = await startObservers(pgTarget({}), sink, { ...opts, pg: { user: 'u', password: 'p', database: 'd' } });
    expect(overridden.skipped).toEqual([]);
    await overridden.stop();
    expect(() => parseTarget({ ...JSON.parse(JSON.stringify(pgTarget({}))), stores: { db: { members: ['pg-a'], credentials: { user: 'u' } } } }, 'bad', {})).toThrow(/not valid/);
  });
});

/** A stand-in for etcd v3's JSON gateway: ranges and watches over one in-memory keyspace. */
async function fakeEtcd() {
  const kv = new Map<string, { value: string; mod: number }>();
  const log: { revision: number; event: object }[] = []; // a watch from an older revision replays from here
  let revision = 1;
  const streams = new Set<{ from: number; res: ServerResponse }>();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const send = (st: { res: ServerResponse }, events: object[]) => st.res.write(JSON.stringify({ result: { header: { revision: String(revision) }, events } }) + '\n');
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      if (req.url === '/v3/kv/range') {
        res.end(JSON.stringify({ header: { revision: String(revision) }, kvs: [...kv].map(([k, v]) => ({ key: b64(k), value: b64(v.value), mod_revision: String(v.mod) })) }));
      } else if (req.url === '/v3/watch') {
        const st = { from: Number((JSON.parse(body) as { create_request: { start_revision: string } }).create_request.start_revision), res };
        streams.add(st);
        res.on('close', () => streams.delete(st));
        res.write(JSON.stringify({ result: { header: { revision: String(revision) }, created: true } }) + '\n');
        const missed = log.filter((l) => l.revision >= st.from).map((l) => l.event);
        if (missed.length) send(st, missed);
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const change = (key: string, value: string | null, stream = true) => {
    revision++;
    if (value === null) kv.delete(key);
    else kv.set(key, { value, mod: revision });
    const event = value === null ? { type: 'DELETE', kv: { key: b64(key), mod_revision: String(revision) } } : { kv: { key: b64(key), value: b64(value), mod_revision: String(revision) } };
    log.push({ revision, event });
    if (stream) for (const st of streams) send(st, [event]);
  };
  return {
    port: (server.address() as { port: number }).port, change, streams,
    dropStreams: () => streams.forEach((st) => st.res.destroy()),
    close: () => new Promise<void>((r) => { streams.forEach((st) => st.res.destroy()); server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('Patroni through etcd', () => {
  it('names the DCS leader per etcd member and each member from its key, follows changes, and catches up after a dropped stream', async () => {
    const etcd = await fakeEtcd();
    const member = (role: string, timeline: number, state = 'running') => JSON.stringify({ state, role, timeline, version: '3.0.2' });
    etcd.change('/service/s/leader', 'pg-a');
    etcd.change('/service/s/members/pg-a', member('master', 1));
    etcd.change('/service/s/members/pg-b', member('replica', 1));
    etcd.change('/service/other/leader', 'elsewhere');
    const closed = await fakeRedis();
    await closed.close();
    const pgNode = (zone: string) => ({ zone, kind: 'postgres', service: `pg-${zone}`, ports: { postgres: 5432, patroni: 8008 }, hostPorts: { postgres: closed.port, patroni: closed.port } });
    const t = parseTarget({
      project: 'dcs-unit', composeFile: 'none.yml', zones: { a: 'a', b: 'b' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
      nodes: { 'etcd-a': { zone: 'a', kind: 'etcd', service: 'etcd-a', ports: { client: 2379 }, hostPorts: { client: etcd.port } }, 'pg-a': pgNode('a'), 'pg-b': pgNode('b') },
      stores: { postgres: { members: ['pg-a', 'pg-b'], consensus: ['etcd-a'], patroni: { scope: 's' }, credentials: { user: 'u', password: 'p', database: 'd' } } }, links: [],
    }, 'unit', { FAULTLINE_BIND: '127.0.0.1' });
    const seen: string[] = [];
    const obs = await startObservers(t, {
      observe: (o) => seen.push(`${o.node}:${o.source}=${o.value}${o.epoch !== undefined ? `@${o.epoch}` : ''}`),
      sentinelEvent: () => undefined,
    }, { timeoutMs: 50, connectTimeoutMs: 1000, dcsCheckMs: 100 });
    try {
      expect(Object.keys(obs.stats().byPoller).sort()).toEqual(['pg-a:pg-recovery', 'pg-b:pg-recovery']); // Patroni is not polled
      const dcsSeen = () => seen.filter((s) => !s.includes('pg-recovery'));
      expect(dcsSeen().sort()).toEqual(['etcd-a:dcs-leader=pg-a', 'pg-a:patroni=primary@1', 'pg-b:patroni=replica']);

      // A failover as Patroni writes it: the leader key expires, the replica takes it and promotes.
      etcd.change('/service/s/leader', null);
      etcd.change('/service/s/members/pg-a', null);
      etcd.change('/service/s/leader', 'pg-b');
      etcd.change('/service/s/members/pg-b', member('master', 2));
      await vi.waitFor(() => expect(obs.current().get('pg-b:patroni')).toBe('primary'), { timeout: 1000, interval: 5 });
      expect(dcsSeen().slice(3)).toEqual(['etcd-a:dcs-leader=none', 'pg-a:patroni=down', 'etcd-a:dcs-leader=pg-b', 'pg-b:patroni=primary@2']);
      expect(obs.stats().streams['etcd-a']).toMatchObject({ connected: true, streams: 1, events: 4 });

      // The stream drops and a change commits meanwhile: the next range finds it, a new stream follows.
      etcd.dropStreams();
      etcd.change('/service/s/members/pg-a', member('replica', 2, 'starting'), false);
      await vi.waitFor(() => expect(obs.current().get('pg-a:patroni')).toBe('starting'), { timeout: 1000, interval: 5 });
      await vi.waitFor(() => expect(etcd.streams.size).toBe(1), { timeout: 1000, interval: 5 });
      etcd.change('/service/s/members/pg-a', member('replica', 2));
      await vi.waitFor(() => expect(obs.current().get('pg-a:patroni')).toBe('replica'), { timeout: 1000, interval: 5 });
      expect(obs.stats().streams['etcd-a']!.streams).toBe(2);

      // etcd gone: that member is "down", and so is every Patroni member (nobody left to hear them from).
      await etcd.close();
      await vi.waitFor(() => expect(['etcd-a:dcs-leader', 'pg-a:patroni', 'pg-b:patroni'].map((k) => obs.current().get(k))).toEqual(['down', 'down', 'down']), { timeout: 2000, interval: 10 });
    } finally {
      await obs.stop();
      await etcd.close();
    }
  });
});

describe('app readiness', () => {
  it('reads the readiness stream: each line a value, silence as down, a reconnect after; an app without it is polled', async () => {
    let ready = true;
    let silent = false;
    let streamsOpened = 0;
    const polled: string[] = [];
    const server = createHttpServer((req, res) => {
      if (req.url?.startsWith('/readyz/stream')) {
        streamsOpened++;
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        const timer = setInterval(() => silent || res.write(JSON.stringify({ ready }) + '\n'), 20);
        res.on('close', () => clearInterval(timer));
      } else res.writeHead(404).end();
    });
    const old = createHttpServer((req, res) => {
      polled.push(req.url ?? '');
      if (req.url?.startsWith('/readyz?')) res.writeHead(ready ? 200 : 503).end('{}');
      else res.writeHead(404).end();
    });
    await Promise.all([server, old].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const port = (s: typeof server) => (s.address() as { port: number }).port;
    const node = (zone: string, p: number) => ({ zone, kind: 'app', service: `app-${zone}`, ports: { http: 3000 }, hostPorts: { http: p } });
    const t = parseTarget({
      project: 'app-unit', composeFile: 'none.yml', zones: { a: 'a', b: 'b' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
      nodes: { 'app-a': node('a', port(server)), 'app-b': node('b', port(old)) }, links: [],
    }, 'unit', { FAULTLINE_BIND: '127.0.0.1' });
    const seen: string[] = [];
    const obs = await startObservers(t, { observe: (o) => seen.push(`${o.node}=${o.value}`), sentinelEvent: () => undefined }, { connectTimeoutMs: 300, appReadyEveryMs: 20 });
    try {
      expect(seen.sort()).toEqual(['app-a=ready', 'app-b=ready']);
      expect(polled.slice(0, 2)).toEqual(['/readyz/stream?everyMs=20&slowMs=250', '/readyz?maxAgeMs=20']); // the old app: 404, then polled for a cached answer
      ready = false;
      await vi.waitFor(() => expect(obs.current().get('app-a:app-ready')).toBe('not-ready'), { timeout: 1000, interval: 5 });
      await vi.waitFor(() => expect(obs.current().get('app-b:app-ready')).toBe('not-ready'), { timeout: 1000, interval: 5 });
      silent = true; // a stalled app: no lines
      await vi.waitFor(() => expect(obs.current().get('app-a:app-ready')).toBe('down'), { timeout: 1000, interval: 5 });
      ready = true;
      silent = false;
      await vi.waitFor(() => expect(obs.current().get('app-a:app-ready')).toBe('ready'), { timeout: 1000, interval: 5 });
      expect(streamsOpened).toBeGreaterThanOrEqual(2); // the silent stream was dropped and a new one opened
      expect(seen.filter((s) => s.startsWith('app-a'))).toEqual(['app-a=ready', 'app-a=not-ready', 'app-a=down', 'app-a=ready']);
    } finally {
      await obs.stop();
      for (const s of [server, old]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    }
  });
});
