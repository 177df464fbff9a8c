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
