// Invariants of the reference topology that the "every link is controllable" design rests on.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compose, links, proxies } from '../../services/generate.ts';
import { EXTERNAL_CLIENT, REDIS_FENCING, REDIS_WITNESSES, connections, nodes, stores } from '../../services/topology.ts';

const root = join(import.meta.dirname, '../..');
type Service = { image: string; networks: Record<string, { aliases?: string[] }>; ports?: string[] };
const services = compose().services as Record<string, Service>;

describe('reference topology', () => {
  it('gives every server port a number no other node uses', () => {
    const all = nodes.flatMap((n) => Object.values(n.ports));
    expect(new Set(all).size).toBe(all.length);
  });

  it('puts each node alone on its own network, with Toxiproxy as its only neighbour', () => {
    for (const n of nodes) {
      expect(Object.keys(services[n.name]!.networks)).toEqual([`n-${n.name}`]);
      const members = Object.entries(services).filter(([, s]) => `n-${n.name}` in s.networks).map(([name]) => name);
      expect(members.sort()).toEqual([n.name, 'toxiproxy'].sort());
    }
  });

  it('resolves, on each client network, exactly the servers that client may reach', () => {
    const toxi = services.toxiproxy!;
    for (const n of nodes) {
      const reach = new Set(connections().filter((c) => c.from === n.name).map((c) => c.to));
      const aliases = toxi.networks[`n-${n.name}`]!.aliases ?? [];
      expect(new Set(aliases.filter((a) => !a.startsWith('via-')))).toEqual(reach);
      expect(aliases).not.toContain(n.name);
    }
  });

  it('carries every directed connection on its own proxy, listening on the client network', () => {
    const ps = proxies();
    expect(new Set(ps.map((p) => p.name)).size).toBe(ps.length);
    expect(new Set(ps.map((p) => p.listen)).size).toBe(ps.length);
    for (const p of ps) {
      const [from] = p.name.split('--');
      if (from === EXTERNAL_CLIENT) expect(p.listen).toMatch(/^0\.0\.0\.0:2\d{4}$/);
      else expect(p.listen).toMatch(new RegExp(`^via-${from}:\\d+$`));
      expect(p.upstream).toMatch(/^origin-/);
    }
  });

  it('classifies links by zone so a partition can select cross-zone links', () => {
    const cross = links().filter((l) => ['a', 'b'].includes(l.fromZone) && ['a', 'b'].includes(l.toZone) && l.fromZone !== l.toZone);
    expect(cross.map((l) => l.id)).toContain('haproxy-b->pg-a');
    expect(cross.map((l) => l.id)).not.toContain('haproxy-a->pg-a');
    // Quorum members in the witness zone keep both sides reachable.
    expect(links().some((l) => l.from === 'pg-a' && l.toZone === 'c')).toBe(true);
  });

  it('fences every Redis node, and keeps the witness a never-promoted replica that only Sentinels and replication reach', () => {
    type Env = { environment: Record<string, string> };
    for (const n of nodes.filter((x) => x.kind === 'redis')) {
      const env = (services[n.name] as unknown as Env).environment;
      expect(env).toMatchObject({ REDIS_MIN_REPLICAS_TO_WRITE: String(REDIS_FENCING.minReplicasToWrite), REDIS_MIN_REPLICAS_MAX_LAG: String(REDIS_FENCING.minReplicasMaxLagS) });
      expect(env.REDIS_REPLICA_PRIORITY).toBe(REDIS_WITNESSES.includes(n.name) ? '0' : undefined);
    }
    for (const w of REDIS_WITNESSES) {
      expect(stores.redis.members).not.toContain(w);
      expect(nodes.find((n) => n.name === w)!.zone).toBe('c');
      const clients = new Set(connections().filter((c) => c.to === w).map((c) => nodes.find((n) => n.name === c.from)?.kind));
      expect([...clients]).toEqual(['sentinel']);
      expect(connections().filter((c) => c.from === w).map((c) => c.to).sort()).toEqual([...stores.redis.members].sort());
    }
  });

  it('names in versions.env exactly the base images that the compose file and Dockerfiles use', () => {
    const env = readFileSync(join(root, 'services/setup/versions.env'), 'utf8');
    const listed = (/^BASE_IMAGES="([^"]+)"/m.exec(env)?.[1] ?? '').split(/\s+/).sort();
    const built = (parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string; build?: unknown }> }).services;
    const used = new Set(Object.values(built).filter((s) => !s.build).map((s) => s.image));
    for (const dir of readdirSync(join(root, 'services'), { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      try {
        const df = readFileSync(join(root, 'services', dir.name, 'Dockerfile'), 'utf8');
        for (const m of df.matchAll(/^FROM\s+(\S+)/gm)) used.add(m[1]!);
      } catch {
        // no Dockerfile in this folder
      }
    }
    expect([...used].sort()).toEqual(listed);
  });
});
