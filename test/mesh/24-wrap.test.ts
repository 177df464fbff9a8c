// `faultline wrap` on a compose project written the way users write them (test/fixtures/user-project:
// one default network, both Postgres on 5432, both Redis on 6379, an HTTP app of its own), from
// the packed package installed in a project outside this repository: wrap it, start it with the
// override, prove every link goes through its own proxy, then run an experiment with the HTTP
// client that kills the Postgres primary and promotes the replica by hand (an `exec` step), and
// check the verdict's failover and lost-write figures against the journal. It is its own compose
// project (<test project>-shop on the test address), beside the reference mesh, which it leaves alone.
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, loadTarget, Nodes, ToxiproxyApi, type JsonReport, type Target } from '../../src/index.ts';
import { faultline, installedPackage, sh, userEnv, type Installed } from '../package/installed.ts';
import { TEST_ENV } from './env.ts';

const PROJECT = `${TEST_ENV.FAULTLINE_PROJECT}-shop`;
const BIND = TEST_ENV.FAULTLINE_BIND;
const ZONES = ['app=a', 'pg-primary=a', 'redis-master=a', 'pg-replica=b', 'redis-replica=b'].flatMap((z) => ['--zone', z]);
const WRAP = ['wrap', 'shop/docker-compose.yml', ...ZONES, '--subnet', '10.213.0.0/16'];

let pkg: Installed;
let dir: string;
let env: NodeJS.ProcessEnv;
let target: Target;
let nodes: Nodes;
let toxiproxy: ToxiproxyApi;
let wrapStarted: number;

/** Run Python in the app's container (its own psycopg2), as the app would reach a server. */
const fromApp = (code: string) => nodes.exec('app', ['python3', '-c', code]);
const pgConnect = (host: string) => fromApp(`import psycopg2; psycopg2.connect(host='${host}', port=5432, user='shop', password='shop', dbname='shop', connect_timeout=3).close()`);
const inspect = async (container: string) => JSON.parse((await sh('docker', ['inspect', container], { cwd: dir })).stdout)[0] as { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } };
const toxiproxyIp = async (network: string) => (await inspect(`${PROJECT}-faultline-toxiproxy-1`)).NetworkSettings.Networks[`${PROJECT}_${network}`]!.IPAddress;

beforeAll(async () => {
  pkg = await installedPackage();
  dir = join(pkg.project, 'shop-wrap');
  cpSync(join(import.meta.dirname, '../fixtures/user-project'), join(dir, 'shop'), { recursive: true });
  env = { FAULTLINE_PROJECT: PROJECT, FAULTLINE_BIND: BIND, SHOP_BIND: BIND, FAULTLINE_RUNS_DIR: join(dir, 'runs'), FAULTLINE_LOCK_DIR: join(dir, 'locks') };
  wrapStarted = performance.now();
  const wrap = await faultline(pkg, WRAP, { env, cwd: dir });
  expect(wrap.code, wrap.stderr).toBe(0);
  // The user's own step: their images, built from Debian packages (cached after the first run).
  const build = await sh('docker', ['compose', '-f', 'shop/docker-compose.yml', 'build', '--quiet'], { cwd: dir, env: userEnv(env), timeoutMs: 600_000 });
  expect(build.code, build.stderr).toBe(0);
  target = loadTarget(join(dir, 'faultline/target.json'), { ...process.env, ...env });
  await down(target).catch(() => undefined); // leftovers of a killed earlier run
  const up = await faultline(pkg, ['up', '--target', 'faultline/target.json'], { env, cwd: dir, timeoutMs: 300_000 });
  expect(up.code, up.stderr + up.stdout).toBe(0);
  console.log(`[wrap] wrap, build and up in ${((performance.now() - wrapStarted) / 1000).toFixed(1)} s`);
  nodes = new Nodes(target);
  toxiproxy = new ToxiproxyApi(target.toxiproxyUrl);
}, 900_000);

afterAll(async () => {
  if (target) await down(target);
});

describe('faultline wrap on a user\'s compose project', () => {
  it('--check lists every link it found, and without zones asks for each by its flag', async () => {
    const check = await faultline(pkg, [...WRAP, '--check'], { env, cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    for (const link of ['app -> pg-primary:5432', 'app -> pg-replica:5432', 'app -> redis-master:6379', 'pg-replica -> pg-primary:5432', 'pg-primary -> pg-replica:5432', 'redis-replica -> redis-master:6379', 'redis-master -> redis-replica:6379', 'client (the host) -> app:8080']) {
      expect(check.stdout).toContain(link);
    }
    expect(check.stdout).toContain('--check: nothing was written');
    const ask = await faultline(pkg, ['wrap', 'shop/docker-compose.yml', '--check'], { env, cwd: dir });
    expect(ask.code).toBe(4);
    expect(ask.stderr).toContain('FL_BAD_INPUT');
    expect(ask.stderr).toContain('add `--zone pg-replica=a`');
  });

  it('both Postgres on 5432 answer the app, each at its own Toxiproxy address; cutting one proxy cuts that link only', async () => {
    const hosts = (await fromApp("import socket; print(socket.gethostbyname('pg-primary'), socket.gethostbyname('pg-replica'))")).output.trim().split(/\s+/);
    expect(hosts).toEqual([await toxiproxyIp('fl-app--pg-primary'), await toxiproxyIp('fl-app--pg-replica')]);
    expect(hosts[0]).not.toBe(hosts[1]);
    for (const [cut, other] of [['pg-primary', 'pg-replica'], ['pg-replica', 'pg-primary']] as const) {
      expect((await pgConnect(cut)).exitCode).toBe(0);
      await toxiproxy.setEnabled(`app--${cut}--postgres`, false);
      try {
        expect((await pgConnect(cut)).exitCode).not.toBe(0);
        expect((await pgConnect(other)).exitCode).toBe(0);
      } finally {
        await toxiproxy.setEnabled(`app--${cut}--postgres`, true);
      }
      expect((await pgConnect(cut)).exitCode).toBe(0);
    }
  });

  it('replication passes through its proxies too: each primary sees its replica at Toxiproxy\'s address', async () => {
    const client = new pg.Client({ host: BIND, port: target.nodes['pg-primary']!.hostPorts.postgres, user: 'shop', password: 'shop', database: 'shop' });
    await client.connect();
    try {
      const rows = (await client.query<{ client_addr: string; state: string }>('SELECT client_addr, state FROM pg_stat_replication')).rows;
      expect(rows).toEqual([{ client_addr: await toxiproxyIp('fl-pg-primary'), state: 'streaming' }]);
    } finally {
      await client.end();
    }
    const redis = new Redis({ host: BIND, port: target.nodes['redis-master']!.hostPorts.redis, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      expect(await redis.info('replication')).toMatch(new RegExp(`slave0:ip=${(await toxiproxyIp('fl-redis-master')).replace(/\./g, '\\.')},port=6379,state=online`));
    } finally {
      redis.disconnect();
    }
  });

  it('runs an experiment from the installed project: kill the primary, promote the replica by hand, judged against the journal', async () => {
    const url = `http://${BIND}:${target.externalClient!.hostPorts.app}`;
    writeFileSync(join(dir, 'shop-failover.ts'), `import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'shop-postgres-failover',
  description: 'SIGKILL the Postgres primary; promote the replica by hand after 3 s; count what was lost',
  target: './faultline/target.json',
  steadyState: {
    probes: [
      { name: 'postgres: one primary, one replica', role: { store: 'postgres', replicas: 1 }, phases: ['before', 'after'] },
      { name: 'shop answers', http: { node: 'app', port: 'http', path: '/healthz' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '90s',
  },
  workload: {
    rate: 20, warmup: '3s', cooldown: '5s', timeout: '3s',
    client: { kind: 'http', store: 'postgres', url: '${url}/orders', body: { id: '{id}', item: 'book' }, readBack: { url: '${url}/orders/{id}' } },
  },
  // A dead server behind Toxiproxy accepts, then closes; libpq's host list moves on only from a
  // refused or failed connect, so the app's link to the dead primary is also refused (link_down)
  // while it is down and while it rejoins (a clone from the new primary), as it is without a proxy.
  timeline: [{ concurrent: [
    { fault: { kind: 'kill', node: 'pg-primary' }, for: '15s', name: 'kill the postgres primary' },
    { fault: { kind: 'link_down', link: { from: 'app', to: 'pg-primary' } }, for: '25s', name: 'the dead primary refuses the app' },
    { sequence: [{ wait: '3s' }, { fault: { kind: 'exec', node: { replicaOf: 'postgres' }, command: ['pg_ctl', 'promote', '-w', '-D', '/var/lib/postgresql/data'] }, name: 'promote the replica' }] },
  ] }],
  slos: { maxFailoverTime: { postgres: '20s' }, maxLostAckedWrites: 0, maxFailovers: { postgres: 1 } },
  maxDuration: '3m',
});
`);
    const r = await faultline(pkg, ['run', '--json', 'shop-failover.ts'], { env, cwd: dir, timeoutMs: 240_000 });
    const verdictAt = performance.now();
    const doc = JSON.parse(r.stdout) as JsonReport;
    console.log(`[wrap] wrap -> first verdict in ${((verdictAt - wrapStarted) / 1000).toFixed(1)} s: ${doc.verdict}; failover ${JSON.stringify({ ...doc.failover.postgres, evidence: undefined })}; writes ${JSON.stringify({ attempted: doc.writes.attempted, acked: doc.writes.acked, failed: doc.writes.failed, indeterminate: doc.writes.indeterminate, lost: doc.writes.lost })}`);
    const runDir = join(dir, 'runs', readdirSync(join(dir, 'runs')).find((d) => d !== 'latest' && d.includes('shop-postgres-failover'))!);
    const journal = readFileSync(join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { t: number; type: string });

    // The failover: pg-primary to pg-replica, caused by the kill, and not before the promote command ran.
    const f = doc.failover.postgres!;
    expect(f, r.stderr).toMatchObject({ oldPrimary: 'pg-primary', newPrimary: 'pg-replica' });
    const injected = (name: string) => journal.find((e) => e.type === 'fault-injected' && String(e.description).includes(name))!;
    const kill = injected('SIGKILL');
    const refused = injected('proxies disabled on app -> pg-primary');
    const promote = journal.find((e) => e.type === 'fault-inject' && (e.spec as { kind: string }).kind === 'exec')!;
    // Both go in at the step's start and both hit pg-primary: either is the cause, never the promotion.
    expect([kill.id, refused.id]).toContain(f.cause?.id);
    expect(f.cause?.description).toContain('pg-primary');
    expect(journal.find((e) => e.type === 'exec-result')).toMatchObject({ node: 'pg-replica', exitCode: 0 });
    expect(f.promotedMs).not.toBeNull();
    expect(f.originT! + f.promotedMs!).toBeGreaterThanOrEqual(promote.t);
    const firstPrimary = journal.find((e) => e.type === 'observe' && e.node === 'pg-replica' && e.value === 'primary')!;
    expect(firstPrimary.t).toBeGreaterThanOrEqual(promote.t);

    // The writes: the verdict's figures are the journal's.
    const ends = journal.filter((e) => e.type === 'op-end');
    const ok = new Set(ends.filter((e) => e.outcome === 'ok').map((e) => String(e.op)));
    expect(doc.writes.attempted).toBe(ends.length);
    expect(doc.writes.acked).toBe(ok.size);
    expect(ok.size).toBeGreaterThan(100);
    // Read back through the app from the store's one primary, then: the promoted replica.
    const ledger = journal.filter((e) => e.type === 'ledger').at(-1) as unknown as { stores: Record<string, { primary: string; asked: number; error?: string }> };
    expect(ledger.stores.postgres).toMatchObject({ primary: 'pg-replica' });
    expect(ledger.stores.postgres!.error).toBeUndefined();
    const missing = journal.filter((e) => e.type === 'ledger-missing' && e.store === 'postgres').flatMap((e) => e.ids as string[]);
    const lost = missing.filter((id) => ok.has(id));
    expect(doc.writes.lost).toBe(lost.length);
    expect(doc.writes.lostByStore.postgres ?? 0).toBe(lost.length);
    // And the verdict follows from them: maxLostAckedWrites 0 fails exactly when one was lost.
    expect(doc.slos.find((s) => s.name.startsWith('maxLostAckedWrites'))!.verdict).toBe(lost.length ? 'fail' : 'pass');
    expect(doc.cleanup).toBe('ok');
  }, 300_000);
});
