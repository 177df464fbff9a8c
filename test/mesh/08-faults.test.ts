// Each fault kind's observable effect on real connections made from inside the client nodes, and
// its heal. Faults go through the harness's one interpreter.
import { afterEach, describe, expect, it } from 'vitest';
import { resetTarget, type ActiveFault } from '../../src/index.ts';
import { inject, nodes, redisDirect, target, toxiproxy, waitFor } from './helpers.ts';

// PING sentinel-b from inside sentinel-a; prints the round trip in ms, exits non-zero on failure.
const timedPing = `s=$(date +%s%N); out=$(timeout 5 redis-cli -h sentinel-b -p 26380 ping 2>&1); e=$(date +%s%N); echo "$out $(( (e - s) / 1000000 ))"; [ "$out" = PONG ]`;
const pingFromA = () => nodes.exec('sentinel-a', ['sh', '-c', timedPing]);
const rtt = (out: string) => Number(out.trim().split(/\s+/).pop());
const link = { from: 'sentinel-a', to: 'sentinel-b' };

let active: ActiveFault[] = [];
afterEach(async () => {
  for (const f of active) await f.heal();
  active = [];
});
const add = async (spec: Record<string, unknown>) => {
  const f = await inject(spec);
  active.push(f);
  return f;
};
const toxicCount = async () => (await toxiproxy.list()).reduce((n, p) => n + p.toxics.length, 0);

describe('link faults', () => {
  it('latency delays each direction, and heals', async () => {
    const f = await add({ kind: 'latency', link, latencyMs: 300 });
    const slow = await pingFromA();
    expect(slow.exitCode).toBe(0);
    expect(rtt(slow.output)).toBeGreaterThanOrEqual(600);
    await f.heal();
    const fast = await pingFromA();
    console.log(`[faults] PING sentinel-a -> sentinel-b: ${rtt(slow.output)} ms with 300 ms latency each way, ${rtt(fast.output)} ms healed`);
    expect(rtt(fast.output)).toBeLessThan(300);
  });

  it('reset answers with a TCP reset, and heals', async () => {
    const f = await add({ kind: 'reset', link });
    const r = await pingFromA();
    expect(r.exitCode).not.toBe(0);
    expect(r.output.toLowerCase()).toMatch(/reset|closed|error/);
    await f.heal();
    expect((await pingFromA()).exitCode).toBe(0);
  });

  it('link_down refuses connections (unlike a blackhole), and heals', async () => {
    const f = await add({ kind: 'link_down', link });
    const r = await pingFromA();
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/refused/i);
    expect((await toxiproxy.list()).find((p) => p.name === 'sentinel-a--sentinel-b--sentinel')?.enabled).toBe(false);
    await f.heal();
    expect((await pingFromA()).exitCode).toBe(0);
  });

  it('timeout stops the data and closes the connection after afterMs', async () => {
    await add({ kind: 'timeout', link, afterMs: 500 });
    const r = await pingFromA();
    expect(r.exitCode).not.toBe(0);
    expect(rtt(r.output)).toBeGreaterThanOrEqual(450);
    expect(rtt(r.output)).toBeLessThan(4000);
  });

  it('bandwidth slows a large answer to the given rate', async () => {
    const info = `s=$(date +%s%N); n=$(timeout 20 redis-cli -h sentinel-b -p 26380 info | wc -c); e=$(date +%s%N); echo "$n $(( (e - s) / 1000000 ))"`;
    const f = await add({ kind: 'bandwidth', link, stream: 'downstream', rateKBps: 1 });
    const [bytes, slowMs] = (await nodes.exec('sentinel-a', ['sh', '-c', info])).output.trim().split(/\s+/).map(Number);
    await f.heal();
    const [, fastMs] = (await nodes.exec('sentinel-a', ['sh', '-c', info])).output.trim().split(/\s+/).map(Number);
    console.log(`[faults] ${bytes} bytes of INFO: ${slowMs} ms at 1 KB/s, ${fastMs} ms healed`);
    expect(bytes).toBeGreaterThan(2000);
    expect(slowMs!).toBeGreaterThanOrEqual(((bytes! / 1024) - 1) * 1000);
    expect(fastMs!).toBeLessThan(500);
  });

  it('limit_data closes the connection after the given bytes', async () => {
    await add({ kind: 'limit_data', link, stream: 'downstream', bytes: 2 });
    expect((await pingFromA()).exitCode).not.toBe(0);
  });
});

describe('node and partition faults', () => {
  it('pause freezes a node that keeps its sockets, and heals', async () => {
    const f = await add({ kind: 'pause', node: 'sentinel-c' });
    expect((await nodes.state('sentinel-c')).paused).toBe(true);
    await expect(redisDirect('sentinel-c', (c) => c.ping())).rejects.toThrow();
    await f.heal();
    await waitFor('sentinel-c answering', () => redisDirect('sentinel-c', (c) => c.ping()).then((p) => p === 'PONG'), 5000);
  });

  it('isolate cuts every link of one node and no other', async () => {
    await add({ kind: 'isolate', node: 'sentinel-c' });
    const from = (node: string, host: string, port: number) =>
      nodes.exec(node, ['sh', '-c', `timeout 2 redis-cli -h ${host} -p ${port} ping`]).then((r) => r.output.trim() === 'PONG');
    expect(await from('sentinel-a', 'sentinel-c', 26381)).toBe(false);
    expect(await from('sentinel-c', 'redis-a', 6379)).toBe(false);
    expect(await from('sentinel-a', 'sentinel-b', 26380)).toBe(true);
  });

  it('majority_minority cuts a minority of a quorum group off from everyone else', async () => {
    const f = await add({ kind: 'majority_minority', group: { kind: 'sentinel' }, minority: ['sentinel-a'] });
    expect(f.description).toContain('minority sentinel-a');
    const ping = (node: string, host: string, port: number) =>
      nodes.exec(node, ['sh', '-c', `timeout 2 redis-cli -h ${host} -p ${port} ping`]).then((r) => r.output.trim() === 'PONG');
    expect(await ping('sentinel-b', 'sentinel-a', 26379)).toBe(false);
    expect(await ping('sentinel-a', 'redis-b', 6380)).toBe(false);
    expect(await ping('sentinel-b', 'sentinel-c', 26381)).toBe(true);
    expect(await ping('sentinel-c', 'redis-a', 6379)).toBe(true);
  });

  it('heals are idempotent, and reset clears what a run left behind', async () => {
    const f = await add({ kind: 'latency', link, latencyMs: 50, stream: 'upstream' });
    await f.heal();
    await f.heal();
    expect(await toxicCount()).toBe(0);

    // Left behind on purpose: as if the harness had been SIGKILLed mid-run.
    await inject({ kind: 'blackhole', link });
    await inject({ kind: 'link_down', link: { from: 'sentinel-b', to: 'sentinel-c' } });
    await inject({ kind: 'pause', node: 'sentinel-c' });
    const r = await resetTarget(target);
    expect(r).toEqual({ toxicsRemoved: 2, proxiesEnabled: 1, nodesStarted: ['sentinel-c'] });
    expect(await toxicCount()).toBe(0);
    expect((await nodes.state('sentinel-c')).paused).toBe(false);
    expect((await pingFromA()).exitCode).toBe(0);
  });
});
