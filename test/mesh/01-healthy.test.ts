// The mesh comes up healthy: every node, one primary per store, Sentinels agree, proxies clean.
import { describe, expect, it } from 'vitest';
import { allRoles, status } from '../../src/index.ts';
import { target, toxiproxy } from './helpers.ts';

describe('reference mesh', () => {
  it('is up with every node healthy', async () => {
    const s = await status(target);
    const sick = s.nodes.filter((n) => n.state !== 'running' || n.health !== 'healthy');
    expect(sick).toEqual([]);
    expect(s.up).toBe(true);
  });

  it('has exactly one primary per store, and every Sentinel names the Redis one', async () => {
    const roles = await allRoles(target);
    for (const store of ['postgres', 'redis']) {
      const primaries = target.stores[store]!.members.filter((m) => roles.get(m) === 'primary');
      expect(primaries, store).toHaveLength(1);
    }
    const redisPrimary = target.stores.redis!.members.find((m) => roles.get(m) === 'primary');
    for (const s of ['sentinel-a', 'sentinel-b', 'sentinel-c']) expect(roles.get(s)).toBe(`sees ${redisPrimary}`);
  });

  it('has one enabled, toxic-free proxy for every link in the map', async () => {
    const live = new Map((await toxiproxy.list()).map((p) => [p.name, p]));
    const expected = target.links.flatMap((l) => l.proxies.map((p) => p.name));
    for (const name of expected) {
      expect(live.get(name), name).toMatchObject({ enabled: true, toxics: [] });
    }
    expect(live.size).toBe(expected.length);
  });
});
