// Target files: the reference one loads; broken ones fail with every problem, each with its path.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, FaultlineError, findLink, loadTarget, parseTarget } from '../../src/index.ts';
import { ExitCodes, exitCodeFor } from '../../src/cli/exit-codes.ts';

const reference = () => JSON.parse(JSON.stringify(loadTarget(undefined, {}))) as Record<string, unknown>;

function caught(fn: () => unknown): FaultlineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FaultlineError) return e;
    throw e;
  }
  throw new Error('expected a FaultlineError');
}

describe('target files', () => {
  it('loads the reference mesh with its links and host settings', () => {
    const t = loadTarget(undefined, { FAULTLINE_BIND: '127.0.0.9', FAULTLINE_PROJECT: 'other' });
    expect(t.projectName).toBe('other');
    expect(t.toxiproxyUrl).toBe('http://127.0.0.9:18474');
    expect(Object.keys(t.nodes)).toHaveLength(15);
    expect(findLink(t, 'app-b', 'haproxy-b').proxies.map((p) => p.name)).toEqual(['app-b--haproxy-b--postgres']);
  });

  it('reports every problem at once, each with its path', () => {
    const raw = reference();
    (raw.nodes as Record<string, { zone: string }>)['pg-a']!.zone = 'z';
    (raw.links as { to: string }[])[0]!.to = 'nowhere';
    (raw.toxiproxy as { apiHostPort: number }).apiHostPort = 70000;
    const e = caught(() => parseTarget(raw, 'broken.json', {}));
    expect(e.code).toBe(ErrorCodes.BAD_TARGET);
    expect(e.details.map((d) => d.path)).toEqual(['toxiproxy.apiHostPort']);
    (raw.toxiproxy as { apiHostPort: number }).apiHostPort = 8474;
    const e2 = caught(() => parseTarget(raw, 'broken.json', {}));
    const paths = e2.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['links[0].to', 'nodes.pg-a.zone']));
    // pg-a's links still say zone a: each is named, since a partition would cut by the node's zone.
    expect(paths.filter((p) => /^links\[\d+\]\.(from|to)Zone$/.test(p!)).length).toBeGreaterThan(2);
    expect(e2.details.every((d) => d.fix)).toBe(true);
  });

  it('refuses a link whose zones or ports disagree with its nodes', () => {
    const raw = reference();
    const links = raw.links as { from: string; to: string; fromZone: string; proxies: { port: string; portNumber: number }[] }[];
    const i = links.findIndex((l) => l.from === 'app-a' && l.to === 'haproxy-a');
    links[i]!.fromZone = 'b';
    links[i]!.proxies[0]!.portNumber = 1234;
    const e = caught(() => parseTarget(raw, 'broken.json', {}));
    expect(e.details.map((d) => d.path)).toEqual([`links[${i}].fromZone`, `links[${i}].proxies[0]`]);
    expect(e.details[0]!.fix).toBe('write "a"');
    expect(e.details[1]!.message).toMatch(/port "postgres" = 1234, but haproxy-a declares postgres = /);
  });

  it('names the links a client does have when asked for one it does not', () => {
    const e = caught(() => findLink(loadTarget(undefined, {}), 'app-a', 'pg-a'));
    expect(e.code).toBe(ErrorCodes.UNKNOWN_LINK);
    expect(e.fix).toContain('haproxy-a');
    expect(exitCodeFor(e.code)).toBe(ExitCodes.BAD_INPUT);
  });

  it('gives each outcome a distinct exit code', () => {
    expect(new Set(Object.values(ExitCodes)).size).toBe(Object.values(ExitCodes).length);
    expect(exitCodeFor(ErrorCodes.ENGINE_DOWN)).toBe(ExitCodes.ENVIRONMENT);
    expect(exitCodeFor(ErrorCodes.INTERNAL)).toBe(ExitCodes.INTERNAL);
  });
});

describe('the tiny fixture target (test/fixtures/tiny)', () => {
  const tiny = () => loadTarget(join(import.meta.dirname, '../fixtures/tiny/target.json'), { FAULTLINE_BIND: '127.0.0.4' });

  it('parses, with its compose file, host and Toxiproxy URL resolved', () => {
    const t = tiny();
    expect(t.projectName).toBe('faultline-tiny');
    expect(t.composePath).toBe(join(import.meta.dirname, '../fixtures/tiny/docker-compose.yml'));
    expect(t.toxiproxyUrl).toBe('http://127.0.0.4:17474');
    expect(Object.keys(t.nodes)).toEqual(['redis-a', 'redis-b']);
    expect(t.stores.cache?.members).toEqual(['redis-a', 'redis-b']);
  });

  it('has links only between its own nodes, each with its zones and its own <client>--<server>--<port> proxy', () => {
    const t = tiny();
    expect(t.links.map((l) => l.id)).toEqual(['redis-b->redis-a', 'redis-a->redis-b']);
    for (const l of t.links) {
      const [from, to] = [t.nodes[l.from], t.nodes[l.to]];
      expect(from && to).toBeTruthy();
      expect([l.fromZone, l.toZone]).toEqual([from!.zone, to!.zone]);
      for (const p of l.proxies) {
        expect(p.name).toBe(`${l.from}--${l.to}--${p.port}`);
        expect(p.portNumber).toBe(to!.ports[p.port]);
      }
    }
    expect(findLink(t, 'redis-b', 'redis-a').proxies.map((p) => p.name)).toEqual(['redis-b--redis-a--redis']);
  });

  it('declares exactly the proxies its toxiproxy.json creates, each listening on the client network', () => {
    const t = tiny();
    const file = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/tiny/toxiproxy.json'), 'utf8')) as { name: string; listen: string; upstream: string }[];
    const expected = t.links.flatMap((l) => l.proxies.map((p) => ({ name: p.name, listen: `via-${l.from}:${p.portNumber}`, upstream: `origin-${l.to}:${p.portNumber}` })));
    expect(file.map(({ name, listen, upstream }) => ({ name, listen, upstream }))).toEqual(expected);
  });
});
