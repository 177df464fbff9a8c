// partition_kernel on the real mesh: what its iptables rules cut and leave up, how that looks to a
// client next to a Toxiproxy blackhole of the same links, and that heal and reset leave no rule.
import { afterEach, describe, expect, it } from 'vitest';
import { resetTarget, type ActiveFault } from '../../src/index.ts';
import { rulesWithComment } from '../../src/runtime/iptables.ts';
import { appUrl, hostPort, inject, nodes, redisDirect, sleep, target, toxiproxy, waitFor } from './helpers.ts';

let active: ActiveFault[] = [];
afterEach(async () => {
  for (const f of active) await f.heal();
  active = [];
  expect(await kernelRules()).toBe(0);
});
const add = async (spec: Record<string, unknown>) => {
  const f = await inject(spec);
  active.push(f);
  return f;
};

/** fl- rules in every node's netns and Toxiproxy's. */
async function kernelRules(): Promise<number> {
  let n = 0;
  for (const name of [...Object.keys(target.nodes), target.toxiproxy.service]) {
    const pid = await nodes.pid(name);
    if (pid) n += (await rulesWithComment(pid, 'fl-')).length;
  }
  return n;
}
const toxicCount = async () => (await toxiproxy.list()).reduce((n, p) => n + p.toxics.length, 0);
const ping = (node: string, host: string, port: number) =>
  nodes.exec(node, ['sh', '-c', `timeout 2 redis-cli -h ${host} -p ${port} ping`]).then((r) => r.output.trim() === 'PONG');
const httpFrom = (node: string, url: string) => nodes.exec(node, ['sh', '-c', `curl -s -m 2 -o /dev/null ${url}`]).then((r) => r.exitCode === 0);

/** TCP handshake only, from inside a node: exit code (124: timed out) and ms. */
async function connect(node: string, host: string, port: number): Promise<{ rc: number; ms: number }> {
  const r = await nodes.exec(node, ['bash', '-c', `s=$(date +%s%N); timeout 2 bash -c 'exec 3<>/dev/tcp/${host}/${port}'; rc=$?; e=$(date +%s%N); echo "$rc $(( (e - s) / 1000000 ))"`]);
  const [rc, ms] = r.output.trim().split(/\s+/).map(Number);
  return { rc: rc!, ms: ms! };
}

/**
 * A connection opened now (before any cut) that sends `cmd` when told to, then waits up to 20 s
 * for one line. Result: read's status (0 a line, 1 EOF, >128 timed out), ms from send, the line.
 */
async function held(node: string, host: string, port: number, cmd: string) {
  const tag = `${Date.now()}-${Math.round(Math.random() * 1e6)}`;
  const script = `exec 3<>/dev/tcp/${host}/${port} || exit 9; touch /tmp/ready-${tag}; while [ ! -e /tmp/go-${tag} ]; do sleep 0.05; done; `
    + `s=$(date +%s%N); printf '${cmd}\\r\\n' >&3; if read -t 20 -r l <&3; then rc=0; else rc=$?; fi; e=$(date +%s%N); echo "$rc $(( (e - s) / 1000000 )) \${l%$'\\r'}"`;
  const done = nodes.exec(node, ['bash', '-c', script]).then((r) => {
    const [rc, ms, line] = r.output.trim().split(/\s+/);
    return { rc: Number(rc), ms: Number(ms), line: line ?? '' };
  });
  await waitFor(`${node} connected to ${host}:${port}`, async () => (await nodes.exec(node, ['test', '-e', `/tmp/ready-${tag}`])).exitCode === 0, 10_000, 50);
  return { send: () => nodes.exec(node, ['touch', `/tmp/go-${tag}`]), result: done };
}

const clientNames = async (node: string) => String(await redisDirect(node, (c) => c.call('CLIENT', 'LIST')));

describe('partition_kernel', () => {
  it('isolate drops every link of one node in the kernel and no other, and heals', async () => {
    const f = await add({ kind: 'partition_kernel', isolate: 'sentinel-c' });
    expect(f.description).toMatch(/^isolate sentinel-c in the kernel \(\d+ links, \d+ iptables rules\)$/);
    expect(await kernelRules()).toBeGreaterThan(0);
    expect(await ping('sentinel-a', 'sentinel-c', 26381)).toBe(false);
    expect(await ping('sentinel-c', 'redis-a', 6379)).toBe(false);
    expect(await ping('sentinel-a', 'sentinel-b', 26380)).toBe(true);
    expect(await toxicCount()).toBe(0); // Toxiproxy is not involved
    await f.heal();
    await f.heal();
    expect(await kernelRules()).toBe(0);
    expect(await ping('sentinel-a', 'sentinel-c', 26381)).toBe(true);
    expect(await ping('sentinel-c', 'redis-a', 6379)).toBe(true);
  });

  it('zones a | b drops cross-zone links both ways; intra-zone and witness links stay up', async () => {
    const f = await add({ kind: 'partition_kernel', from: ['a'], to: ['b'] });
    expect(await ping('sentinel-a', 'sentinel-b', 26380)).toBe(false);
    expect(await ping('sentinel-b', 'sentinel-a', 26379)).toBe(false);
    expect(await httpFrom('haproxy-a', 'http://pg-b:8009/liveness')).toBe(false);
    expect(await httpFrom('haproxy-a', 'http://pg-a:8008/liveness')).toBe(true);
    expect(await ping('sentinel-a', 'redis-a', 6379)).toBe(true);
    expect(await ping('sentinel-a', 'sentinel-c', 26381)).toBe(true);
    expect(await ping('sentinel-c', 'sentinel-b', 26380)).toBe(true);
    await f.heal();
    expect(await kernelRules()).toBe(0);
    expect(await ping('sentinel-a', 'sentinel-b', 26380)).toBe(true);
    expect(await httpFrom('haproxy-a', 'http://pg-b:8009/liveness')).toBe(true);
  });

  it('one-way a -/-> b: held connections carry b -> a data only; new ones fail both ways', async () => {
    const tag = `fl-oneway-${Date.now()}`;
    const ba = await held('sentinel-b', 'sentinel-a', 26379, `CLIENT SETNAME ${tag}-ba`);
    const ab = await held('sentinel-a', 'sentinel-b', 26380, `CLIENT SETNAME ${tag}-ab`);
    const f = await add({ kind: 'partition_kernel', from: ['a'], to: ['b'], oneWay: true });
    expect(await ping('sentinel-a', 'sentinel-b', 26380)).toBe(false);
    expect(await ping('sentinel-b', 'sentinel-a', 26379)).toBe(false);
    await ba.send();
    await ab.send();
    await sleep(1000);
    // Seen on each server directly (its published port, not a cut link).
    expect(await clientNames('sentinel-a')).toContain(`name=${tag}-ba`);
    expect(await clientNames('sentinel-b')).not.toContain(`name=${tag}-ab`);
    await f.heal();
    const [rba, rab] = [await ba.result, await ab.result];
    console.log(`[faults] one-way a -/-> b, healed ~1 s after sending: b's CLIENT SETNAME reached a during the cut, its +OK ${rba.ms} ms after sending; a's reached b only after the heal, +OK ${rab.ms} ms after sending`);
    expect(rba).toMatchObject({ rc: 0, line: '+OK' });
    expect(rab).toMatchObject({ rc: 0, line: '+OK' });
    expect(rba.ms).toBeGreaterThanOrEqual(1000); // held until the heal, though its request was through
  });

  it('differs from a Toxiproxy blackhole: no handshake, and a held connection survives the heal', async () => {
    const compare = async (spec: Record<string, unknown>) => {
      const h = await held('sentinel-a', 'sentinel-b', 26380, 'PING');
      const f = await add(spec);
      const c = await connect('sentinel-a', 'sentinel-b', 26380);
      await h.send();
      await sleep(1500);
      const t0 = performance.now();
      await f.heal();
      const r = await h.result;
      return { connect: c, held: r, afterHealMs: Math.round(performance.now() - t0) };
    };
    const proxy = await compare({ kind: 'isolate', node: 'sentinel-b' });
    expect(await toxicCount()).toBe(0);
    const kernel = await compare({ kind: 'partition_kernel', isolate: 'sentinel-b' });
    console.log(`[faults] isolate sentinel-b, seen from sentinel-a: Toxiproxy blackhole: connect ok in ${proxy.connect.ms} ms, held PING ended rc ${proxy.held.rc} "${proxy.held.line}" ${proxy.held.ms} ms after sending (${proxy.afterHealMs} ms after heal)`);
    console.log(`[faults] isolate sentinel-b, seen from sentinel-a: kernel DROP: connect rc ${kernel.connect.rc} after ${kernel.connect.ms} ms, held PING got "${kernel.held.line}" ${kernel.held.ms} ms after sending (${kernel.afterHealMs} ms after heal)`);
    // Toxiproxy completes the handshake itself, swallows the PING, and closes the connection on heal.
    expect(proxy.connect.rc).toBe(0);
    expect(proxy.connect.ms).toBeLessThan(1000);
    expect(proxy.held.rc).toBe(1);
    expect(proxy.held.line).toBe('');
    // The kernel drops the SYN; the held connection's PING is retransmitted and answered after heal.
    expect(kernel.connect.rc).toBe(124);
    expect(kernel.held).toMatchObject({ rc: 0, line: '+PONG' });
    expect(kernel.held.ms).toBeGreaterThanOrEqual(1500);
  });

  it('cuts the external client at Toxiproxy, leaving the direct ports that probes use', async () => {
    const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    const direct = `http://${target.host}:${hostPort('app-a', 'http')}/healthz`;
    const f = await add({ kind: 'partition_kernel', isolate: 'app-a' });
    expect(await get(`${appUrl('app-a')}/healthz`)).toBe(false);
    expect(await get(direct)).toBe(true);
    expect(await get(`${appUrl('app-b')}/healthz`)).toBe(true);
    await f.heal();
    expect(await get(`${appUrl('app-a')}/healthz`)).toBe(true);
  });

  it('resetTarget removes the rules of a fault that was never healed', async () => {
    // Left behind on purpose: as if the harness had been SIGKILLed mid-run.
    const f = await inject({ kind: 'partition_kernel', from: ['a'], to: ['b'] });
    const count = Number(f.description.match(/(\d+) iptables rules/)?.[1]);
    expect(await kernelRules()).toBe(count);
    const t0 = performance.now();
    const r = await resetTarget(target);
    console.log(`[faults] resetTarget removed ${r.kernelRulesRemoved} iptables rules in ${Math.round(performance.now() - t0)} ms`);
    expect(r).toEqual({ toxicsRemoved: 0, proxiesEnabled: 0, nodesStarted: [], kernelRulesRemoved: count });
    expect(await kernelRules()).toBe(0);
    expect(await ping('sentinel-a', 'sentinel-b', 26380)).toBe(true);
    await f.heal(); // its rules are gone already: still fine
    expect((await resetTarget(target)).kernelRulesRemoved).toBe(0);
  });
});
