// Mesh benchmark: set-up re-run, mesh up and down (faultline vs. testcontainers' compose support,
// side by side in this one process), and bare-mesh failover over N runs. Prints figures only; it
// asserts nothing. Its own compose project on 127.0.0.3, so a running mesh is left alone.
//   node test/bench/mesh.bench.ts [--runs 5] [--skip-setup] [--skip-updown] [--fresh-setup]
// --fresh-setup first removes what set-up installs (the compose plugin, seeded and built images,
// the cache) and times a set-up from nothing: slow, and it rebuilds everything.
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DockerComposeEnvironment, Wait } from 'testcontainers';
import { Nodes, currentPrimary, down, loadTarget, redisCommand, status, up, type Target } from '../../src/index.ts';
import { line, summarize } from './stats.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'skip-setup': { type: 'boolean' }, 'fresh-setup': { type: 'boolean' }, 'skip-updown': { type: 'boolean' } } });
const RUNS = Number(args.runs);
const env = { ...process.env, FAULTLINE_PROJECT: 'faultline-bench', FAULTLINE_BIND: '127.0.0.3' };
const t: Target = loadTarget(undefined, env);
const root = new URL('../..', import.meta.url).pathname;
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out: string[] = [];
const report = (s: string) => { out.push(s); console.log(s); };

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function timeSetup(label: string): number {
  const t0 = now();
  const r = spawnSync('npm', ['run', '-s', 'setup'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${label} failed`);
  return now() - t0;
}

if (args['fresh-setup']) {
  const images = execFileSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
    .split('\n').filter((i) => /^(faultline\/|debian:bookworm-slim|node:24-bookworm-slim|ghcr.io\/shopify\/toxiproxy)/.test(i));
  spawnSync('docker', ['rmi', '-f', ...images], { stdio: 'ignore' });
  spawnSync('docker', ['builder', 'prune', '-af'], { stdio: 'ignore' });
  spawnSync('rm', ['-rf', `${process.env.HOME}/.cache/faultline`, '/usr/local/lib/docker/cli-plugins/docker-compose'], { stdio: 'ignore' });
  report(line('set-up from nothing (npm run setup)', summarize([timeSetup('fresh set-up')])));
}
if (!args['skip-setup']) report(line('set-up re-run (npm run setup)', summarize([timeSetup('set-up re-run')]), 60_000));

// Up and down: faultline's own path, then testcontainers' DockerComposeEnvironment on the same file.
const upF: number[] = [], downF: number[] = [], upTc: number[] = [], downTc: number[] = [];
await down(t).catch(() => undefined);
for (let i = 0; i < (args['skip-updown'] ? 0 : RUNS); i++) {
  let t0 = now();
  await up(t);
  upF.push(now() - t0);
  t0 = now();
  await down(t);
  downF.push(now() - t0);

  t0 = now();
  const started = await new DockerComposeEnvironment(root, 'docker-compose.yml')
    .withProjectName('faultline-bench').withEnvironment({ FAULTLINE_BIND: '127.0.0.3' })
    .withWaitStrategy('toxiproxy-1', Wait.forHealthCheck()).withDefaultWaitStrategy(Wait.forHealthCheck()).withStartupTimeout(240_000).up();
  upTc.push(now() - t0);
  t0 = now();
  await started.down({ removeVolumes: true });
  downTc.push(now() - t0);
}
if (upF.length) {
  report(line('mesh up, cached images (faultline up)', summarize(upF), 30_000));
  report(line('mesh up (testcontainers DockerComposeEnvironment)', summarize(upTc)));
  report(line('mesh down (faultline down)', summarize(downF), 10_000));
  report(line('mesh down (testcontainers .down())', summarize(downTc)));
}

// Bare-mesh failover: SIGKILL the primary, time until the survivor is confirmed primary by the
// stores' own authorities (a Sentinel majority; Patroni's /primary), then heal for the next run.
await up(t);
const nodes = new Nodes(t);
const hp = (n: string, p: string) => t.nodes[n]!.hostPorts[p]!;
async function sentinelMajorityNames(node: string): Promise<boolean> {
  const views = await Promise.all(['sentinel-a', 'sentinel-b', 'sentinel-c'].map((s) =>
    redisCommand(t.host, hp(s, 'sentinel'), ['SENTINEL', 'get-master-addr-by-name', 'mymaster']).then((a) => (a as string[] | null)?.[0], () => undefined)));
  return views.filter((v) => v === node).length >= 2;
}
const patroniPrimary = async (node: string) => (await fetch(`http://${t.host}:${hp(node, 'patroni')}/primary`, { signal: AbortSignal.timeout(500) })).status === 200;
async function healthyAgain() {
  await waitFor('mesh healthy', async () => (await status(t)).up, 120_000, 500);
}

const failover: Record<string, number[]> = { redis: [], postgres: [] };
for (let i = 0; i < RUNS; i++) {
  for (const store of ['redis', 'postgres'] as const) {
    const primary = (await currentPrimary(t, store))!;
    const survivor = t.stores[store]!.members.find((m) => m !== primary)!;
    const t0 = now();
    await nodes.kill(primary, 'SIGKILL');
    await waitFor(`${survivor} primary`, () => (store === 'redis' ? sentinelMajorityNames(survivor) : patroniPrimary(survivor)), 60_000);
    failover[store]!.push(now() - t0);
    await nodes.start(primary);
    await healthyAgain();
  }
}
report(line('Redis failover (SIGKILL -> Sentinel majority)', summarize(failover.redis!), 3_000));
report(line('Postgres failover (SIGKILL -> Patroni /primary)', summarize(failover.postgres!), 10_000));
await down(t);
console.log(`\nRaw (ms): ${JSON.stringify({ upF, upTc, downF, downTc, failover }, (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
