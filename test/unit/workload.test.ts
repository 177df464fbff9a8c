// The workload without Docker: the open loop keeps its schedule whatever the target does, caps
// what is in flight, and answers are classified so that only certain failures count as "fail".
import { describe, expect, it } from 'vitest';
import { startOpenLoop, type OpSink } from '../../src/workload/open-loop.ts';
import { classifyAnswer, classifyError } from '../../src/workload/classify.ts';
import { startWaker } from '../../src/workload/waker.ts';
import { answerNodes } from '../../src/workload/app-writes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder() {
  const invoked: { id: string; client: string; scheduledT: number }[] = [];
  const ended: { id: string; outcome: string; error?: string }[] = [];
  const sink: OpSink = { invoke: (o) => invoked.push(o), end: (o) => ended.push(o) };
  return { invoked, ended, sink };
}

describe('open-loop generator', () => {
  it('sends on schedule even when every answer is slow, round robin over clients', async () => {
    const r = recorder();
    const t0 = performance.now();
    const loop = startOpenLoop({ rate: 100, clients: ['a', 'b'], idPrefix: 'x', maxInFlight: 1000, now: () => performance.now() - t0, sink: r.sink,
      send: async () => (await sleep(300), { outcome: 'ok' as const }) });
    await sleep(500);
    const sentWhileSlow = loop.sent();
    await loop.stop();
    // A closed loop with one client would have sent 2 by now; the open loop keeps its 10 ms period.
    expect(sentWhileSlow).toBeGreaterThanOrEqual(40);
    expect(r.invoked.slice(0, 4).map((o) => o.client)).toEqual(['a', 'b', 'a', 'b']);
    expect(r.invoked[10]!.scheduledT).toBeCloseTo(100, 0);
    expect(r.ended).toHaveLength(r.invoked.length); // stop() waits for what is in flight
    expect(new Set(r.invoked.map((o) => o.id)).size).toBe(r.invoked.length);
  });

  it('refuses to send over the in-flight cap, and says so', async () => {
    const r = recorder();
    const t0 = performance.now();
    const loop = startOpenLoop({ rate: 200, clients: ['a'], idPrefix: 'y', maxInFlight: 5, now: () => performance.now() - t0, sink: r.sink,
      send: () => new Promise((res) => setTimeout(() => res({ outcome: 'ok' }), 400)) });
    await sleep(200);
    await loop.stop();
    const notSent = r.ended.filter((e) => e.error?.startsWith('not sent'));
    expect(notSent.length).toBeGreaterThan(10);
    expect(notSent.every((e) => e.outcome === 'fail')).toBe(true);
    expect(r.ended.filter((e) => e.outcome === 'ok')).toHaveLength(5);
  });
  it('never sends an op before it is due, at a period well under the timers\' millisecond', async () => {
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const due = new Map<string, number>();
    const drift: number[] = [];
    const loop = startOpenLoop({ rate: 2000, clients: ['a'], idPrefix: 'z', maxInFlight: 10_000, now,
      sink: { invoke: (o) => due.set(o.id, o.scheduledT), end: () => undefined },
      send: async (_c, id) => (drift.push(now() - due.get(id)!), { outcome: 'ok' as const }) });
    await sleep(300);
    await loop.stop();
    expect(drift).toHaveLength(loop.sent());
    expect(drift.length).toBeGreaterThan(100);
    expect(Math.min(...drift)).toBeGreaterThanOrEqual(-0.051); // scheduledT is rounded to 0.1 ms
  });
});

// How precise the wake-ups are depends on the machine's load: test/bench/generator.bench.ts
// measures that. Here: never early, the latest deadline wins, nothing after close.
describe('waker', () => {
  it('wakes once, not before the deadline; a new deadline replaces the old', async () => {
    const w = startWaker();
    const woke: string[] = [];
    const t0 = performance.now();
    w.at(60, () => woke.push('replaced'));
    // Set before the thread has started: it picks the deadline up when it does.
    const at = await new Promise<number>((res) => w.at(5, () => (woke.push('kept'), res(performance.now() - t0))));
    await sleep(100);
    expect(woke).toEqual(['kept']);
    expect(at).toBeGreaterThanOrEqual(5);
    expect(w.state()).toBe('ready');
    await w.close();
    expect(w.state()).toBe('gone');
  });

  it('runs nothing after close', async () => {
    const w = startWaker();
    let woke = false;
    w.at(10, () => (woke = true));
    await w.close();
    await sleep(40);
    expect(woke).toBe(false);
  });
});

describe('classifying answers', () => {
  it('201 is acknowledged; a client error certainly did not write', () => {
    expect(classifyAnswer(201, {})).toBe('ok');
    expect(classifyAnswer(400, {})).toBe('fail');
  });

  it('a Postgres failure before sending fails; one that may have committed is indeterminate', () => {
    expect(classifyAnswer(503, { error: { stage: 'postgres', message: 'cannot execute INSERT in a read-only transaction' } })).toBe('fail');
    expect(classifyAnswer(503, { error: { stage: 'postgres', message: 'connect ECONNREFUSED 10.0.0.2:5000' } })).toBe('fail');
    expect(classifyAnswer(503, { error: { stage: 'postgres', message: 'Connection terminated unexpectedly' } })).toBe('indeterminate');
    expect(classifyAnswer(503, { error: { stage: 'redis', message: 'anything' } })).toBe('indeterminate');
    expect(classifyAnswer(502, null)).toBe('indeterminate');
  });

  it('no answer: refused is a failure, a timeout or a reset is not known', () => {
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('fail');
    expect(classifyError(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))).toBe('indeterminate');
    expect(classifyError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))).toBe('indeterminate');
  });
});

describe('which node of each store took a write', () => {
  const stores = { postgres: 'orders', redis: 'cache' }; // a target's own store names

  it('a 201 names the Postgres row\'s node and the Redis node that acknowledged the SET', () => {
    expect(answerNodes(201, { postgres: { node: 'pg-b' }, redisNode: 'redis-a' }, stores)).toEqual({ orders: 'pg-b', cache: 'redis-a' });
  });

  it('a Redis failure after the commit names only Postgres', () => {
    expect(answerNodes(503, { postgres: { node: 'pg-a' }, redisNode: 'redis-a', error: { message: 'x' } }, stores)).toEqual({ orders: 'pg-a' });
  });

  it('names no node the app was not sure of, and none of a store the target lacks', () => {
    expect(answerNodes(201, { postgres: { node: 'pg-a' }, redisNode: null }, stores)).toEqual({ orders: 'pg-a' });
    expect(answerNodes(201, { postgres: { node: null } }, stores)).toBeUndefined();
    expect(answerNodes(201, { postgres: { node: 'pg-a' }, redisNode: 'redis-a' }, { postgres: 'pg' })).toEqual({ pg: 'pg-a' });
    expect(answerNodes(503, null, stores)).toBeUndefined();
    // An app from before the field existed: Postgres only.
    expect(answerNodes(201, { postgres: { node: 'pg-a' } }, stores)).toEqual({ orders: 'pg-a' });
  });
});
