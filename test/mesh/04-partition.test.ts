// A zone a|b partition cuts cross-zone links and leaves intra-zone ones up: the app in the
// primary's zone still queries it through its HAProxy, while the other zone's app cannot.
// Checks are request/response from inside the client containers: Toxiproxy accepts a TCP
// connect even on a blackholed link, so a bare connect would prove nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { currentPrimary } from '../../src/index.ts';
import { inject, reaches, target } from './helpers.ts';

const http = (host: string, port: number, path: string) => `curl -fsS -m 2 -o /dev/null http://${host}:${port}${path}`;
// SELECT 1 through the app container's own HAProxy, with the app's own pg driver.
const select1 = (haproxy: string, port: number) =>
  `node -e "const pg=require('/app/node_modules/pg');const c=new pg.Client({host:'${haproxy}',port:${port},user:'app',password:'app',database:'app',connectionTimeoutMillis:2000,query_timeout:2000});c.connect().then(()=>c.query('select 1')).then(()=>process.exit(0),()=>process.exit(1));setTimeout(()=>process.exit(2),3000)"`;

let heals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const h of heals) await h();
  heals = [];
});

describe('zone partition a|b', () => {
  it('keeps the primary zone working and cuts the other zone off from it', async () => {
    const primary = (await currentPrimary(target, 'postgres'))!;
    const zone = target.nodes[primary]!.zone;
    const other = zone === 'a' ? 'b' : 'a';
    const app = (z: string) => `app-${z}`;
    const haproxy = (z: string) => ({ name: `haproxy-${z}`, port: target.nodes[`haproxy-${z}`]!.ports.postgres! });
    const patroniPort = target.nodes[primary]!.ports.patroni!;

    expect(await reaches(app(other), select1(haproxy(other).name, haproxy(other).port))).toBe(true);

    const fault = await inject({ kind: 'zones', from: { zoneOf: { primaryOf: 'postgres' } }, to: [other] });
    heals.push(fault.heal);
    const cross = target.links.filter((l) => l.fromZone !== l.toZone && [l.fromZone, l.toZone].every((z) => z === 'a' || z === 'b'));
    expect(fault.description).toContain(`(${cross.length} links)`);

    // Same zone: app -> haproxy -> primary, all intra-zone.
    expect(await reaches(app(zone), select1(haproxy(zone).name, haproxy(zone).port))).toBe(true);
    expect(await reaches(haproxy(zone).name, http(primary, patroniPort, '/patroni'))).toBe(true);
    // Other zone: its app still reaches its HAProxy, but HAProxy's hop to the primary is cut.
    expect(await reaches(haproxy(other).name, http(primary, patroniPort, '/patroni'))).toBe(false);
    expect(await reaches(app(other), select1(haproxy(other).name, haproxy(other).port))).toBe(false);
    // The witness zone is outside this partition: the other zone's Postgres still reaches etcd-c.
    const otherPg = target.stores.postgres!.members.find((m) => target.nodes[m]!.zone === other)!;
    expect(await reaches(otherPg, http('etcd-c', 2579, '/health'))).toBe(true);

    for (const h of heals) await h();
    heals = [];
    expect(await reaches(haproxy(other).name, http(primary, patroniPort, '/patroni'))).toBe(true);
  });
});
