// One faulted link breaks exactly that link, seen on real connections made from inside the
// client containers; healing restores it.
import { afterEach, describe, expect, it } from 'vitest';
import { status } from '../../src/index.ts';
import { inject, reaches } from './helpers.ts';

// RESP PING over bash's /dev/tcp, from inside the client node; `timeout` bounds a blackhole.
const ping = (host: string, port: number) =>
  `timeout 2 bash -c 'exec 3<>/dev/tcp/${host}/${port}; printf "PING\\r\\n" >&3; read -t 2 line <&3; case "$line" in +PONG*) exit 0;; *) exit 1;; esac'`;

let heal: (() => Promise<void>) | undefined;
afterEach(async () => {
  await heal?.();
  heal = undefined;
});

describe('a single faulted link', () => {
  it('cuts sentinel-a -> sentinel-b and nothing else', async () => {
    expect(await reaches('sentinel-a', ping('sentinel-b', 26380))).toBe(true);
    heal = (await inject({ kind: 'blackhole', link: { from: 'sentinel-a', to: 'sentinel-b' } })).heal;

    expect(await reaches('sentinel-a', ping('sentinel-b', 26380))).toBe(false); // the faulted link
    expect(await reaches('sentinel-c', ping('sentinel-b', 26380))).toBe(true); // same server, other client
    expect(await reaches('sentinel-a', ping('sentinel-c', 26381))).toBe(true); // same client, other server
    expect(await reaches('sentinel-b', ping('sentinel-a', 26379))).toBe(true); // the reverse direction

    const faulted = (await status((await import('./helpers.ts')).target)).links.filter((l) => l.toxics.length);
    expect(faulted.map((l) => l.id)).toEqual(['sentinel-a->sentinel-b']);

    await heal();
    await heal(); // idempotent
    heal = undefined;
    expect(await reaches('sentinel-a', ping('sentinel-b', 26380))).toBe(true);
  });
});

// Toxiproxy (2.12) dials a link's upstream inside its accept loop, with the kernel's connect
// timeout: while a killed node's address is silent, one dial holds every new connection on that
// proxy, up to ~31 s of SYN retries by default. The mesh bounds it (tcp_syn_retries 1 in
// Toxiproxy's namespace, a dial gives up after ~3 s), so a restarted node is reachable through
// its links within seconds of being up, and what a run measures after a restart is the system's
// recovery, not the proxy's.
describe('a restarted node behind its links', () => {
  it('is reached through its proxy within seconds of answering on its own port', async () => {
    const { nodes, appUrl, hostPort, sleep } = await import('./helpers.ts');
    const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(2000), headers: { connection: 'close' } }).then((r) => r.status, () => 0);
    const direct = `http://${(await import('./helpers.ts')).target.host}:${hostPort('app-a', 'http')}/healthz`;
    const proxied = `${appUrl('app-a')}/healthz`;
    expect(await get(proxied)).toBe(200);
    await nodes.kill('app-a', 'SIGKILL');
    try {
      // Clients keep trying while it is down, as a workload does: their dials meet a silent address.
      for (let i = 0; i < 8; i++) { expect(await get(proxied)).not.toBe(200); await sleep(250); }
    } finally {
      await nodes.start('app-a');
    }
    for (const end = Date.now() + 60_000; await get(direct) !== 200; await sleep(100)) if (Date.now() > end) throw new Error('app-a did not answer on its own port within 60 s');
    const up = performance.now();
    for (const end = Date.now() + 60_000; await get(proxied) !== 200; await sleep(100)) if (Date.now() > end) throw new Error('app-a not reached through its proxy within 60 s');
    const lagMs = Math.round(performance.now() - up);
    console.log(`[links] app-a reached through its proxy ${lagMs} ms after answering on its own port`);
    expect(lagMs).toBeLessThan(8000);
  });
});
