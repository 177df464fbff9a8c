// Each fault kind's observable effect on real connections made from inside the client nodes, and
// its heal. Faults go through the harness's one interpreter.
import { afterEach, describe, expect, it } from 'vitest';
import { getContainerRuntimeClient } from 'testcontainers';
import { resetTarget, type ActiveFault } from '../../src/index.ts';
import { inject, ms, nodes, redisDirect, sleep, target, toxiproxy, waitFor } from './helpers.ts';

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
const ping = (node: string, host: string, port: number) =>
  nodes.exec(node, ['sh', '-c', `timeout 2 redis-cli -h ${host} -p ${port} ping`]).then((r) => r.output.trim() === 'PONG');
const runningAndUnpaused = async (node: string) => {
  const s = await nodes.state(node);
  return s.running && !s.paused;
};

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

  it('slicer delivers an answer whole, in delayed pieces, and heals', async () => {
    // INFO from sentinel-b; prints its size, the time it took, and whether its last section arrived.
    const info = `s=$(date +%s%N); out=$(timeout 20 redis-cli -h sentinel-b -p 26380 info); e=$(date +%s%N); echo "$(printf %s "$out" | wc -c) $(( (e - s) / 1000000 )) $(printf %s "$out" | grep -c '^master0:')"`;
    const f = await add({ kind: 'slicer', link, stream: 'downstream', averageBytes: 100, delayUs: 20_000 });
    const [bytes, slowMs, whole] = (await nodes.exec('sentinel-a', ['sh', '-c', info])).output.trim().split(/\s+/).map(Number);
    await f.heal();
    const [, fastMs] = (await nodes.exec('sentinel-a', ['sh', '-c', info])).output.trim().split(/\s+/).map(Number);
    console.log(`[faults] ${bytes} bytes of INFO in 100-byte slices 20 ms apart: ${slowMs} ms (${Math.floor(bytes! / 100)} slices), ${fastMs} ms healed`);
    expect(whole).toBe(1);
    expect(slowMs!).toBeGreaterThanOrEqual(0.8 * Math.floor(bytes! / 100) * 20);
    expect(fastMs!).toBeLessThan(500);
    expect(await toxicCount()).toBe(0);
  });

  it('slow_close holds the close of a connection the server ended, and heals', async () => {
    // Redis answers QUIT with +OK and closes; prints the answer, ms to it, and ms to EOF.
    const quit = `exec 3<>/dev/tcp/redis-a/6379 || exit 9; s=$(date +%s%N); printf 'QUIT\\r\\n' >&3; read -t 5 -r l <&3; m=$(date +%s%N); timeout 5 cat <&3 >/dev/null; e=$(date +%s%N); echo "\${l%$'\\r'} $(( (m - s) / 1000000 )) $(( (e - s) / 1000000 ))"`;
    const quitFromA = async () => {
      const [answer, replyMs, eofMs] = (await nodes.exec('sentinel-a', ['bash', '-c', quit])).output.trim().split(/\s+/);
      return { answer, replyMs: Number(replyMs), eofMs: Number(eofMs) };
    };
    const f = await add({ kind: 'slow_close', link: { from: 'sentinel-a', to: 'redis-a' }, delayMs: 1000 });
    const slow = await quitFromA();
    await f.heal();
    const fast = await quitFromA();
    console.log(`[faults] QUIT via sentinel-a -> redis-a: +OK after ${slow.replyMs} ms, EOF after ${slow.eofMs} ms with slow_close 1000 ms; EOF after ${fast.eofMs} ms healed`);
    expect(slow.answer).toBe('+OK');
    expect(slow.replyMs).toBeLessThan(500);
    expect(slow.eofMs).toBeGreaterThanOrEqual(950);
    expect(fast.answer).toBe('+OK');
    expect(fast.eofMs).toBeLessThan(500);
    expect(await toxicCount()).toBe(0);
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

  it('stop takes a node down: its link answers then closes at once, and heal starts it', async () => {
    const timedPingC = timedPing.replace('sentinel-b -p 26380', 'sentinel-c -p 26381');
    const f = await add({ kind: 'stop', node: 'sentinel-c', graceS: 2 });
    expect((await nodes.state('sentinel-c')).running).toBe(false);
    const r = await nodes.exec('sentinel-a', ['sh', '-c', timedPingC]);
    // Toxiproxy still accepts, then closes when its upstream refuses: fast, unlike a blackhole.
    expect(r.exitCode).not.toBe(0);
    expect(rtt(r.output)).toBeLessThan(1500);
    const t0 = performance.now();
    await f.heal();
    await waitFor('sentinel-c answering', () => ping('sentinel-a', 'sentinel-c', 26381), 15_000, 100);
    console.log(`[faults] PING sentinel-a -> stopped sentinel-c failed after ${rtt(r.output)} ms; answering ${ms(t0)} ms after heal`);
    expect(await runningAndUnpaused('sentinel-c')).toBe(true);
  });

  it('restart gives a node a new process, and heal leaves that one running', async () => {
    const runIdOfC = async () => (await nodes.exec('sentinel-a', ['sh', '-c', 'timeout 2 redis-cli -h sentinel-c -p 26381 info server'])).output.match(/run_id:(\w+)/)?.[1];
    const before = await runIdOfC();
    expect(before).toMatch(/^\w{40}$/);
    const t0 = performance.now();
    const f = await add({ kind: 'restart', node: 'sentinel-c', graceS: 2 });
    const injectMs = ms(t0);
    expect(await runningAndUnpaused('sentinel-c')).toBe(true);
    const after = await waitFor('sentinel-c answering', runIdOfC, 15_000, 100);
    console.log(`[faults] restart of sentinel-c took ${injectMs} ms; answering with a new run_id ${ms(t0)} ms after the call`);
    expect(after).not.toBe(before);
    await f.heal();
    expect(await runIdOfC()).toBe(after);
  });

  it('crash_loop kills a node again and again until healed, then leaves it running', async () => {
    // Each kill stamps the container's FinishedAt: counting distinct stamps counts kills, even when
    // the node is up too briefly between them for a poll of its state to catch (it is: the loop
    // kills again right after each start). Polls are slow while Docker starts the container.
    const rt = await getContainerRuntimeClient();
    const [found] = await rt.container.dockerode.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${target.projectName}`, 'com.docker.compose.service=sentinel-c'] } });
    const container = rt.container.dockerode.getContainer(found!.Id);
    const finishedAt = async () => (await container.inspect()).State.FinishedAt;
    const watch = async (forMs: number, before: string) => {
      const started = performance.now();
      const until = started + forMs;
      const deaths = new Set<string>();
      let polls = 0, answered = 0;
      while (performance.now() < until) {
        const finished = await finishedAt();
        if (finished !== before) deaths.add(finished);
        if (await ping('sentinel-a', 'sentinel-c', 26381)) answered++;
        polls++;
        await sleep(50);
      }
      return { deaths, polls, answered, ms: ms(started) };
    };
    const alive = await finishedAt();
    const f = await add({ kind: 'crash_loop', node: 'sentinel-c', everyS: 1, forS: 60 });
    const during = await watch(5000, alive);
    const h0 = performance.now();
    await f.heal();
    const healMs = ms(h0);
    const after = await watch(2500, await finishedAt());
    console.log(`[faults] crash_loop every 1 s on sentinel-c: ${during.deaths.size} kills in ${during.ms} ms, PING answered ${during.answered}/${during.polls}; heal took ${healMs} ms, then ${after.deaths.size} kills and ${after.answered}/${after.polls} answered in ${after.ms} ms`);
    expect(during.deaths.size).toBeGreaterThanOrEqual(2);
    expect(during.polls - during.answered).toBeGreaterThanOrEqual(2);
    expect(after.deaths.size).toBe(0);
    expect(await runningAndUnpaused('sentinel-c')).toBe(true);
    await waitFor('sentinel-c answering', () => ping('sentinel-a', 'sentinel-c', 26381), 15_000, 100);
  });

  it('bridge splits a quorum group in halves that only the bridge node sees both of', async () => {
    const f = await add({ kind: 'bridge', group: { kind: 'sentinel' }, bridge: 'sentinel-b' });
    expect(f.description).toContain('sentinel-a | sentinel-c, bridged by sentinel-b');
    expect(await ping('sentinel-a', 'sentinel-c', 26381)).toBe(false);
    expect(await ping('sentinel-c', 'sentinel-a', 26379)).toBe(false);
    expect(await ping('sentinel-a', 'sentinel-b', 26380)).toBe(true);
    expect(await ping('sentinel-c', 'sentinel-b', 26380)).toBe(true);
    expect(await ping('sentinel-b', 'sentinel-a', 26379)).toBe(true);
    expect(await ping('sentinel-b', 'sentinel-c', 26381)).toBe(true);
    await f.heal();
    expect(await toxicCount()).toBe(0);
    expect(await ping('sentinel-a', 'sentinel-c', 26381)).toBe(true);
    expect(await ping('sentinel-c', 'sentinel-a', 26379)).toBe(true);
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
    expect(r).toEqual({ toxicsRemoved: 2, proxiesEnabled: 1, nodesStarted: ['sentinel-c'], kernelRulesRemoved: 0 });
    expect(await toxicCount()).toBe(0);
    expect((await nodes.state('sentinel-c')).paused).toBe(false);
    expect((await pingFromA()).exitCode).toBe(0);
  });
});
