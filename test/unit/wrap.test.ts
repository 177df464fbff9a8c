// faultline wrap on compose configs as `docker compose config --format json` prints them
// (test/fixtures/wrap/): the links it finds and why, the questions it asks, and the wiring it
// writes, checked as Docker's DNS would resolve it: from every client, a server's name must lead
// to Toxiproxy alone, on an address of that one link, whatever port the server shares.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, isMap, isPair, type YAMLMap } from 'yaml';
import { ErrorCodes, loadTarget, wrapCompose, type WrapAnswers } from '../../src/index.ts';
import { loadAnswers } from '../../src/wrap/answers.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const tempDir = tempDirs();

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/wrap/${name}.config.json`, import.meta.url), 'utf8'));
// wrapCompose wants the compose file to exist; its config comes from the fixture.
const composeFile = (): string => {
  const dir = tempDir('fl-wrap-');
  writeFileSync(join(dir, 'docker-compose.yml'), 'services: {}\n');
  return join(dir, 'docker-compose.yml');
};
const shopZones: WrapAnswers = { services: { app: { zone: 'a' }, 'pg-primary': { zone: 'a' }, 'redis-master': { zone: 'a' }, 'pg-replica': { zone: 'b' }, 'redis-replica': { zone: 'b' } } };

async function wrapped(name: string, answers: WrapAnswers, more: { check?: boolean } = { check: true }) {
  const file = composeFile();
  const outDir = join(file, '..', 'faultline');
  return { file, outDir, r: await wrapCompose(file, { config: fixture(name), answers, outDir, ...more }) };
}

/** network -> name -> the services answering to it there (compose: the service name and its aliases). */
function dnsOf(overrideText: string): { dns: Map<string, Map<string, Set<string>>>; networksOf: Map<string, string[]>; tags: Map<string, string | undefined> } {
  const doc = parseDocument(overrideText);
  const services = doc.get('services') as YAMLMap;
  const dns = new Map<string, Map<string, Set<string>>>();
  const networksOf = new Map<string, string[]>();
  const tags = new Map<string, string | undefined>();
  for (const item of services.items) {
    const svc = String((item.key as { value: string }).value);
    const nets = (item.value as YAMLMap).get('networks') as YAMLMap;
    tags.set(svc, nets.tag);
    networksOf.set(svc, []);
    for (const n of nets.items) {
      if (!isPair(n)) continue;
      const net = String((n.key as { value: string }).value);
      networksOf.get(svc)!.push(net);
      const aliases = isMap(n.value) ? ((n.value.toJSON() as { aliases?: string[] }).aliases ?? []) : [];
      const names = dns.get(net) ?? new Map<string, Set<string>>();
      for (const name of [svc, ...aliases]) names.set(name, new Set([...(names.get(name) ?? []), svc]));
      dns.set(net, names);
    }
  }
  return { dns, networksOf, tags };
}

describe('wrap: a user project with two Postgres on 5432 and two Redis on 6379', () => {
  it('finds every link, each with where it was found, and the host\'s link to the app', async () => {
    const { r } = await wrapped('shop', shopZones);
    const links = r.model.links.map((l) => `${l.from} -> ${l.to}:${l.port} [${l.sources.join('; ')}]`);
    expect(links).toEqual([
      'app -> pg-primary:5432 [env DATABASE_URL]',
      'app -> pg-replica:5432 [env DATABASE_URL]',
      'app -> redis-master:6379 [env REDIS_URL]',
      'pg-primary -> pg-replica:5432 [env PEER_HOST; store postgres: reverse of pg-replica -> pg-primary]',
      'pg-replica -> pg-primary:5432 [env PEER_HOST; store postgres: reverse of pg-primary -> pg-replica]',
      'redis-master -> redis-replica:6379 [store redis: reverse of redis-replica -> redis-master]',
      'redis-replica -> redis-master:6379 [command; store redis: reverse of redis-master -> redis-replica]',
    ]);
    expect(r.plan.clientProxies).toEqual([expect.objectContaining({ node: 'app', port: 8080, name: 'client--app--http' })]);
    expect(r.written).toBe(false);
  });

  it('infers kinds and stores, with the login for the observers from the members\' environment', async () => {
    const { r } = await wrapped('shop', shopZones);
    expect(Object.fromEntries(r.model.nodes.map((n) => [n.name, n.kind]))).toEqual({ app: 'app', 'pg-primary': 'postgres', 'pg-replica': 'postgres', 'redis-master': 'redis', 'redis-replica': 'redis' });
    expect(r.model.stores).toEqual([
      { name: 'postgres', kind: 'postgres-streaming', members: ['pg-primary', 'pg-replica'], credentials: { user: 'shop', password: 'shop', database: 'shop' }, extra: {} },
      { name: 'redis', kind: 'redis-replication', members: ['redis-master', 'redis-replica'], extra: {} },
    ]);
  });

  it('resolves, from every client, each server name to Toxiproxy alone, on an address only that link uses', async () => {
    const { r } = await wrapped('shop', shopZones);
    const { dns, networksOf, tags } = dnsOf(r.files[0]!.text);
    const tp = r.plan.toxiproxy.service;
    for (const n of r.model.nodes) {
      // The user's networks (default) are replaced, not merged into.
      expect(tags.get(n.name)).toBe('!override');
      const nets = networksOf.get(n.name)!;
      expect(nets).not.toContain('default');
      // Its only neighbour on every network is Toxiproxy.
      for (const net of nets) expect([...dns.get(net)!.values()].flatMap((s) => [...s]).filter((s) => s !== n.name && s !== tp)).toEqual([]);
      for (const l of r.model.links.filter((x) => x.from === n.name)) {
        const answering = nets.flatMap((net) => [...(dns.get(net)!.get(l.to) ?? [])].map((svc) => `${net}:${svc}`));
        expect(answering).toEqual([`fl-${l.from}--${l.to}:${tp}`]);
      }
    }
    // Both Postgres on 5432 from the app: two listeners, on two networks' addresses.
    const proxies = JSON.parse(r.files[1]!.text) as { name: string; listen: string; upstream: string }[];
    const fromApp = proxies.filter((p) => p.name.startsWith('app--pg-'));
    expect(fromApp.map((p) => p.listen)).toEqual(['via-app--pg-primary:5432', 'via-app--pg-replica:5432']);
    expect(fromApp.map((p) => p.upstream)).toEqual(['origin-pg-primary:5432', 'origin-pg-replica:5432']);
    for (const p of fromApp) {
      const via = p.listen.split(':')[0]!;
      expect([...dns.values()].filter((names) => names.has(via)).map((names) => [...names.get(via)!])).toEqual([[tp]]);
    }
    // Each upstream name is the real node on its own network, and nowhere else.
    for (const n of r.model.nodes) expect([...dns].filter(([, names]) => names.has(`origin-${n.name}`)).map(([net, names]) => [net, [...names.get(`origin-${n.name}`)!]])).toEqual([[`fl-${n.name}`, [n.name]]]);
    // Every network has a subnet of its own.
    const subnets = r.plan.networks.map((x) => x.subnet);
    expect(new Set(subnets).size).toBe(subnets.length);
  });

  it('writes a target that faultline takes as it is: every proxy in Toxiproxy\'s config, host ports for the observers', async () => {
    const { r, outDir } = await wrapped('shop', shopZones, {});
    expect(r.written).toBe(true);
    const t = loadTarget(join(outDir, 'target.json'));
    expect(t.composeOverridePaths).toEqual([join(outDir, 'compose.override.yml')]);
    const config = JSON.parse(readFileSync(join(outDir, 'toxiproxy.json'), 'utf8')) as { name: string }[];
    expect(t.links.flatMap((l) => l.proxies.map((p) => p.name)).sort()).toEqual(config.map((p) => p.name).sort());
    expect(t.nodes['pg-primary']).toMatchObject({ ports: { postgres: 5432 }, hostPorts: { postgres: expect.any(Number) } });
    expect(t.nodes['pg-replica']!.ports).toEqual({ postgres: 5432 });
    const hostPorts = [t.toxiproxy.apiHostPort, ...Object.values(t.nodes).flatMap((n) => Object.values(n.hostPorts)), ...Object.values(t.externalClient!.hostPorts)];
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    expect(readFileSync(join(outDir, 'compose.override.yml'), 'utf8')).toContain('${FAULTLINE_BIND:-127.0.0.1}:' + String(t.nodes['pg-replica']!.hostPorts.postgres) + ':5432');
    // Toxiproxy gives up a dial to a dead node after one SYN retry (services/README.md, How links work).
    const tp = (parseDocument(readFileSync(join(outDir, 'compose.override.yml'), 'utf8')).toJS() as { services: Record<string, { sysctls?: Record<string, string> }> }).services[t.toxiproxy.service]!;
    expect(tp.sysctls).toEqual({ 'net.ipv4.tcp_syn_retries': '1' });
  });

  it('rewrites its own files, and refuses to overwrite anyone else\'s', async () => {
    const { file, outDir } = await wrapped('shop', shopZones, {});
    await expect(wrapCompose(file, { config: fixture('shop'), answers: shopZones, outDir })).resolves.toMatchObject({ written: true });
    writeFileSync(join(outDir, 'target.json'), '{"project": "mine"}');
    await expect(wrapCompose(file, { config: fixture('shop'), answers: shopZones, outDir })).rejects.toMatchObject({ code: ErrorCodes.BAD_INPUT, details: [expect.objectContaining({ path: join(outDir, 'target.json') })] });
    expect(readFileSync(join(outDir, 'target.json'), 'utf8')).toBe('{"project": "mine"}');
  });

  it('with check, writes nothing', async () => {
    const { outDir } = await wrapped('shop', shopZones);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('wrap: three Redis on 6379', () => {
  const zones: WrapAnswers = { services: { web: { zone: 'a' }, 'redis-1': { zone: 'a' }, 'redis-2': { zone: 'b' }, 'redis-3': { zone: 'c' } } };

  it('makes one store of the three and links each replica both ways with the master, on 6379 each', async () => {
    const { r } = await wrapped('three-redis', zones);
    expect(r.model.stores.map((s) => [s.name, s.kind, s.members])).toEqual([['redis', 'redis-replication', ['redis-1', 'redis-2', 'redis-3']]]);
    expect(r.model.links.map((l) => `${l.from}->${l.to}:${l.port}`)).toEqual(['redis-1->redis-2:6379', 'redis-1->redis-3:6379', 'redis-2->redis-1:6379', 'redis-3->redis-1:6379', 'web->redis-1:6379']);
    // REDIS_HOST with REDIS_PORT beside it; depends_on on the same server adds nothing.
    expect(r.model.links.find((l) => l.from === 'web')!.sources).toEqual(['env REDIS_HOST']);
    expect(new Set(r.plan.proxies.map((p) => p.listen)).size).toBe(5);
  });

  it('takes a store from the answers: `store: false` leaves a node out, `connects` adds a link', async () => {
    const { r } = await wrapped('three-redis', { services: { ...zones.services, 'redis-3': { zone: 'c', store: false }, web: { zone: 'a', connects: ['redis-2:6379'] } } });
    expect(r.model.stores[0]!.members).toEqual(['redis-1', 'redis-2']);
    expect(r.model.links.filter((l) => l.from === 'web').map((l) => `${l.to}:${l.port} ${l.sources.join()}`)).toEqual(['redis-1:6379 env REDIS_HOST', 'redis-2:6379 answers']);
  });
});

describe('wrap: a service known by other names', () => {
  const svc = (o: Record<string, unknown>) => ({ command: null, entrypoint: null, environment: {}, networks: { default: null }, ...o });
  const config = {
    name: 'aliases',
    services: {
      db: svc({ image: 'postgres:15', environment: { POSTGRES_PASSWORD: 'pw' }, hostname: 'pg-main', networks: { default: { aliases: ['database'] } } }),
      api: svc({ image: 'acme/api', environment: { DATABASE_URL: 'postgres://u:p@database/app' }, depends_on: { worker: { condition: 'service_started' } } }),
      worker: svc({ image: 'acme/worker', environment: { PGHOST: 'pg-main' } }),
    },
  };
  const answers = { services: { db: { zone: 'a' }, api: { zone: 'a' }, worker: { zone: 'b' } } };

  it('finds links by an alias or a hostname, and has Toxiproxy answer to every name of the server', async () => {
    const r = await wrapCompose(composeFile(), { config, answers, check: true, outDir: join(tmpdir(), 'unused') });
    expect(r.model.links.map((l) => `${l.from}->${l.to}:${l.port} ${l.sources.join()}`)).toEqual(['api->db:5432 env DATABASE_URL', 'worker->db:5432 env PGHOST']);
    expect(r.model.unwired).toEqual([{ from: 'api', to: 'worker', source: 'depends_on' }]);
    const { dns } = dnsOf(r.files[0]!.text);
    for (const client of ['api', 'worker']) {
      for (const name of ['db', 'database', 'pg-main']) expect([...dns.get(`fl-${client}--db`)!.get(name)!]).toEqual([r.plan.toxiproxy.service]);
    }
    expect(r.model.stores[0]).toMatchObject({ name: 'postgres', credentials: { user: 'postgres', password: 'pw', database: 'postgres' } });
  });

  it('refuses one name on two services', async () => {
    const clash = { ...config, services: { ...config.services, api: svc({ image: 'acme/api', hostname: 'database' }) } };
    await expect(wrapCompose(composeFile(), { config: clash, answers, check: true })).rejects.toMatchObject({ details: expect.arrayContaining([expect.objectContaining({ path: 'db', message: 'the name "database" is also api\'s' })]) });
  });
});

describe('wrap: what it cannot tell', () => {
  it('asks every question at once, each naming the service and the flag or answer field that settles it', async () => {
    const err = await wrapped('billing', {}).catch((e: unknown) => e) as { code: string; message: string; details: { path: string; message: string; fix?: string }[] };
    expect(err.code).toBe(ErrorCodes.BAD_INPUT);
    const byPath = (p: string) => err.details.filter((d) => d.path === p);
    expect(byPath('metrics').map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringContaining('network_mode "host"'), 'metrics has no zone', expect.stringContaining('cannot tell what metrics is')]));
    expect(byPath('worker').find((d) => d.message.startsWith('cannot tell'))!.fix).toBe('add `--kind worker=app`, or `services.worker.kind: app` in the answers file');
    expect(byPath('api').find((d) => d.message === 'api has no zone')!.fix).toBe('add `--zone api=a`, or `services.api.zone: a` in the answers file');
    // A name the service uses with no port to tell is a question; depends_on alone is not (a job, a worker: left unwired).
    expect(byPath('api -> worker').map((d) => d.fix)).toEqual(['add `services.api.connects: ["worker:<port>"]` in the answers file']);
    // ledger is reached on 5432, so it is Postgres, and its observers need a login.
    expect(byPath('stores.postgres')[0]!.fix).toContain('credentials');
    expect(err.message).toMatch(/wrap cannot wire billing yet \(\d+ questions open\)/);
  });

  it('refuses answers about services that are not there, and a Toxiproxy name already taken', async () => {
    const err = await wrapped('shop', { services: { ...shopZones.services, appp: { zone: 'a' } }, toxiproxy: { service: 'app' } }).catch((e: unknown) => e) as { details: { path: string }[] };
    expect(err.details.map((d) => d.path)).toEqual(['services.appp', 'toxiproxy.service']);
  });

  it('refuses malformed flags and answers, each at its path, before reading anything', () => {
    expect(() => loadAnswers(undefined, { zone: ['app'], kind: ['pg=Postgres'], subnet: '10.0.0.0/8' })).toThrow(expect.objectContaining({
      code: ErrorCodes.BAD_INPUT,
      details: [expect.objectContaining({ path: '--zone app' }), expect.objectContaining({ path: 'subnet' })],
    }));
    expect(loadAnswers(undefined, { zone: ['app=a', 'pg=b'], store: ['pg=db'] }).services).toEqual({ app: { zone: 'a', connects: [] }, pg: { zone: 'b', store: 'db', connects: [] } });
  });

  it('lets flags win over the answers file', () => {
    const dir = tempDir('fl-answers-');
    writeFileSync(join(dir, 'answers.yml'), 'services:\n  app: { zone: a, kind: app }\nhostPortBase: 30000\n');
    const a = loadAnswers(join(dir, 'answers.yml'), { zone: ['app=b'], hostPortBase: 31000 });
    expect(a.services.app).toEqual({ zone: 'b', kind: 'app', connects: [] });
    expect(a.hostPortBase).toBe(31000);
  });
});

describe('faultline init --compose', () => {
  it('writes wrap\'s files with an experiment, a test and a workflow aimed at the wrapped project, all or none', async () => {
    const { initProject } = await import('../../src/cli/init.ts');
    const { file, outDir, r } = await wrapped('shop', shopZones);
    const dir = join(file, '..');
    const wrappedInput = { files: r.files, target: join(outDir, 'target.json'), composeFile: file, stores: r.model.stores, wrapArgs: ' --zone app=a' };
    const result = initProject(dir, { wrapped: wrappedInput });
    expect(result.written.map((f) => f.path)).toEqual(['faultline/experiments/primary-kill.mts', 'faultline/primary-kill.test.mts', '.github/workflows/faultline.yml', 'faultline/compose.override.yml', 'faultline/toxiproxy.json', 'faultline/target.json']);
    expect(result.up).toEqual(['npx faultline up --target faultline/target.json', 'start your project, wired']);
    const experiment = readFileSync(join(dir, 'faultline/experiments/primary-kill.mts'), 'utf8');
    expect(experiment).toContain("target: '../target.json'");
    expect(experiment).toContain("node: { primaryOf: 'postgres' }");
    expect(experiment).not.toMatch(/\{\{\w+\}\}/);
    expect(readFileSync(join(dir, '.github/workflows/faultline.yml'), 'utf8')).toContain('npx faultline wrap docker-compose.yml --check --zone app=a');
    expect(loadTarget(join(outDir, 'target.json')).links).toHaveLength(8);
    // Again: every file is in the way, so nothing is written.
    writeFileSync(join(outDir, 'target.json'), 'mine');
    expect(() => initProject(dir, { wrapped: wrappedInput })).toThrow(expect.objectContaining({ code: ErrorCodes.BAD_INPUT }));
    expect(readFileSync(join(outDir, 'target.json'), 'utf8')).toBe('mine');
  });
});
