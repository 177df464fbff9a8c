// A role selector against Sentinels part-way through a failover: they still hand out the old
// master's address while they flag it objectively down (or are failing it over), so that name is
// the one they are leaving. The selector waits, bounded, for the name they settle on; a probe
// does not wait. Fake Sentinels and Redis nodes on loopback, speaking RESP, scripted by the test.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, FaultlineError, parseTarget, type Target } from '../../src/index.ts';
import { resolveNode } from '../../src/faults/node-selector.ts';

type Reply = string | number | null | Error | Reply[];
const encode = (r: Reply): string =>
  r instanceof Error ? `-${r.message}\r\n` : r === null ? '*-1\r\n' : typeof r === 'number' ? `:${r}\r\n` : typeof r === 'string' ? `$${Buffer.byteLength(r)}\r\n${r}\r\n` : `*${r.length}\r\n${r.map(encode).join('')}`;

/** The commands (RESP arrays of bulk strings) complete in `buf`, and what is left of it. */
function commands(buf: string): { cmds: string[][]; rest: string } {
  const cmds: string[][] = [];
  let i = 0;
  for (;;) {
    const m = /^\*(\d+)\r\n/.exec(buf.slice(i));
    if (!m) break;
    let j = i + m[0].length;
    const args: string[] = [];
    for (let k = 0; k < Number(m[1]); k++) {
      const b = /^\$(\d+)\r\n/.exec(buf.slice(j));
      if (!b || buf.length < j + b[0].length + Number(b[1]) + 2) return { cmds, rest: buf.slice(i) };
      args.push(buf.slice(j + b[0].length, j + b[0].length + Number(b[1])));
      j += b[0].length + Number(b[1]) + 2;
    }
    cmds.push(args);
    i = j;
  }
  return { cmds, rest: buf.slice(i) };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A node answering INFO (ioredis's ready check) and whatever `answer` says to the rest. */
async function fakeNode(answer: (cmd: string[]) => Reply): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    let buf = '';
    s.on('close', () => sockets.delete(s));
    s.on('data', (chunk: Buffer) => {
      const { cmds, rest } = commands(buf + chunk.toString());
      buf = rest;
      for (const c of cmds) s.write(encode(c[0]!.toUpperCase() === 'INFO' ? '# Server\r\nloading:0\r\n' : answer(c)));
    });
  });
  const close = server.close.bind(server);
  server.close = ((cb?: (e?: Error) => void) => { sockets.forEach((x) => x.destroy()); return close(cb); }) as typeof server.close;
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/** What each Sentinel says now: the master it hands out, and its flags for the master it tracks. */
interface SentinelState { handsOut: 'redis-a' | 'redis-b'; tracks: 'redis-a' | 'redis-b'; flags: string }
const PORTS = { 'redis-a': 6379, 'redis-b': 6380 } as const;

/** `asked.rounds`: how many times every Sentinel has been asked SENTINEL MASTER; `onRound` runs after each. */
async function world(states: SentinelState[], asked: { n: number; onRound?: (round: number) => void } = { n: 0 }): Promise<Target> {
  const role = (name: 'redis-a' | 'redis-b') => fakeNode((c) => (c[0]!.toUpperCase() === 'ROLE' ? ['master', 0, []] : `-ERR ${name}`));
  const sentinel = (i: number) => fakeNode((c) => {
    const s = states[i]!;
    if (c[1] === 'get-master-addr-by-name') return [s.handsOut, String(PORTS[s.handsOut])];
    if (c[1]?.toUpperCase() === 'MASTER') {
      if (s.flags === 'refuse') return new Error('ERR unknown subcommand');
      const reply = ['name', 'mymaster', 'ip', s.tracks, 'port', String(PORTS[s.tracks]), 'flags', s.flags];
      if (++asked.n % 3 === 0) asked.onRound?.(asked.n / 3);
      return reply;
    }
    return null;
  });
  const [a, b, ...sentinels] = await Promise.all([role('redis-a'), role('redis-b'), sentinel(0), sentinel(1), sentinel(2)]);
  const redis = (zone: string, name: 'redis-a' | 'redis-b', host: number) => ({ zone, kind: 'redis', service: name, ports: { redis: PORTS[name] }, hostPorts: { redis: host } });
  const s = (zone: string, host: number) => ({ zone, kind: 'sentinel', service: 'sentinel', ports: { sentinel: 26379 }, hostPorts: { sentinel: host } });
  return parseTarget({
    project: 'settle-unit', composeFile: 'none.yml', zones: { a: 'a', b: 'b' }, toxiproxy: { service: 'toxiproxy', apiHostPort: 8474 },
    nodes: { 'redis-a': redis('a', 'redis-a', a!), 'redis-b': redis('b', 'redis-b', b!), 'sentinel-a': s('a', sentinels[0]!), 'sentinel-b': s('b', sentinels[1]!), 'sentinel-c': s('a', sentinels[2]!) },
    stores: { redis: { members: ['redis-a', 'redis-b'], masterName: 'mymaster' } }, links: [],
  }, 'unit', { FAULTLINE_BIND: '127.0.0.1' });
}

const settled = (m: 'redis-a' | 'redis-b'): SentinelState => ({ handsOut: m, tracks: m, flags: 'master' });
const downAndFailing: SentinelState = { handsOut: 'redis-a', tracks: 'redis-a', flags: 'master,s_down,o_down,failover_in_progress' };
const noted = () => {
  const notes: Record<string, unknown>[] = [];
  return { notes, note: (_type: string, d: Record<string, unknown>) => void notes.push(d) };
};

describe("a role selector while the store's manager is moving its primary", () => {
  it('waits for the name the Sentinels settle on, and journals what it waited for', async () => {
    // The leader has promoted redis-b and hands it out (its flags are still on redis-a); the other two still hand out redis-a, flagged o_down.
    const states: SentinelState[] = [{ handsOut: 'redis-b', tracks: 'redis-a', flags: 'master,failover_in_progress' }, { ...downAndFailing, flags: 'master,s_down,o_down' }, { ...downAndFailing, flags: 'master,s_down,o_down' }];
    // The Sentinels settle after they have answered twice: the first answer is mid-failover, whatever the machine's speed.
    const t = await world(states, { n: 0, onRound: (r) => { if (r === 2) states.splice(0, 3, settled('redis-b'), settled('redis-b'), settled('redis-b')); } });
    const { notes, note } = noted();
    expect(await resolveNode(t, { primaryOf: 'redis' }, undefined, note, 5000)).toBe('redis-b');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ node: 'redis-b', by: 'manager', manager: { primary: 'redis-b', by: '3 of 3 Sentinels' } });
    expect(notes[0]!.manager).not.toHaveProperty('changing');
    expect(notes[0]!.waitedMs).toBeGreaterThanOrEqual(500); // two waits of 250 ms between three rounds
    expect(notes[0]!.firstWhy).toMatch(/^redis's manager is moving its primary right now \(sentinel-b: redis-a o_down; sentinel-c: redis-a o_down\)/);
  });

  it('a leader past the promotion, or a Sentinel with a stale view, does not hold the selector up; the journal says the manager is not settled', async () => {
    const finishing = await world([{ handsOut: 'redis-b', tracks: 'redis-a', flags: 'master,failover_in_progress' }, settled('redis-b'), settled('redis-b')]);
    const a = noted();
    expect(await resolveNode(finishing, { primaryOf: 'redis' }, undefined, a.note, 5000)).toBe('redis-b');
    expect(a.notes[0]).not.toHaveProperty('waitedMs');
    expect(a.notes[0]!.manager).toEqual(expect.objectContaining({ primary: 'redis-b', unsettled: 'sentinel-a: redis-b failover in progress, reconfiguring replicas' }));
    const stale = await world([settled('redis-b'), settled('redis-b'), settled('redis-a')]);
    const b = noted();
    expect(await resolveNode(stale, { primaryOf: 'redis' }, undefined, b.note, 5000)).toBe('redis-b');
    expect(b.notes[0]).toMatchObject({ node: 'redis-b', manager: { primary: 'redis-b', by: '2 of 3 Sentinels', unsettled: 'sentinel-c names redis-a' } });
  });

  it('a master the Sentinels hand out and do not flag is the primary at once, with no wait', async () => {
    const t = await world([settled('redis-a'), { handsOut: 'redis-a', tracks: 'redis-a', flags: 'refuse' }, { handsOut: 'redis-a', tracks: 'redis-a', flags: 'master,s_down' }]);
    const { notes, note } = noted();
    expect(await resolveNode(t, { primaryOf: 'redis' }, undefined, note, 5000)).toBe('redis-a');
    expect(notes[0]).not.toHaveProperty('waitedMs'); // s_down is one Sentinel's own view, not a failover
    // A Sentinel that refuses SENTINEL MASTER still counts by the master it hands out.
    expect(notes[0]).toMatchObject({ manager: { by: '3 of 3 Sentinels', voices: { 'sentinel-b': 'redis-a' } } });
  });

  it('gives up after its bound with a coded error naming the failover; a probe (no wait) fails at once', async () => {
    const asked = { n: 0 };
    const t = await world([downAndFailing, downAndFailing, settled('redis-a')], asked);
    const { notes, note } = noted();
    const t0 = performance.now();
    const e = await resolveNode(t, { primaryOf: 'redis' }, undefined, note, 800).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FaultlineError);
    expect((e as FaultlineError).code).toBe(ErrorCodes.MESH_NOT_UP);
    expect((e as Error).message).toMatch(/moving its primary right now \(sentinel-a: redis-a o_down, failover in progress; sentinel-b: redis-a o_down, failover in progress\).*still after 1 s/);
    expect((e as FaultlineError).fix).toMatch(/waitUntil on redis's role.*name the node instead of primaryOf/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(800);
    expect(notes[0]).toMatchObject({ node: null, manager: { primary: 'redis-a', changing: expect.stringContaining('sentinel-a') } });
    const before = asked.n;
    await expect(resolveNode(t, { primaryOf: 'redis' }, undefined, undefined, 0)).rejects.toThrow(/moving its primary/);
    expect(asked.n - before).toBe(3); // one round of answers, no asking again
  });
});
