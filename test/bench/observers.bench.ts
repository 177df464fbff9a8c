// Observer effect: what watching costs the system under test. The mesh's CPU (sum of its
// containers' cgroup usage) over a quiet window with the observers running at 20 Hz, against the
// same window unwatched; alternated, repeated, median of the pairs. Prints figures only.
// On a running mesh (its own project and address, so nobody else's mesh is measured):
//   FAULTLINE_PROJECT=faultline-obs FAULTLINE_BIND=127.0.0.3 node src/cli/main.ts up
//   FAULTLINE_PROJECT=faultline-obs FAULTLINE_BIND=127.0.0.3 npm run bench:observers -- [--seconds 60] [--pairs 3] [--hz 20]
// --observers <file> measures another checkout's src/observe/observers.ts (a before/after comparison).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadTarget, type Target } from '../../src/index.ts';
import type { startObservers as Start } from '../../src/observe/observers.ts';

const { values: args } = parseArgs({ options: {
  seconds: { type: 'string', default: '60' }, pairs: { type: 'string', default: '3' }, hz: { type: 'string', default: '20' },
  settle: { type: 'string', default: '3' }, observers: { type: 'string' },
} });
const SECONDS = Number(args.seconds);
const PAIRS = Number(args.pairs);
const HZ = Number(args.hz);
const t: Target = loadTarget();
const module = pathToFileURL(resolve(args.observers ?? new URL('../../src/observe/observers.ts', import.meta.url).pathname)).href;
const { startObservers } = (await import(module)) as { startObservers: typeof Start };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Where a container's CPU counter lives depends on the cgroup version and Docker's cgroup driver.
const counters = (id: string): { path: string; toNs: (text: string) => number }[] => [
  { path: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, toNs: (s) => Number(s.trim()) }, // v1, cgroupfs
  { path: `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`, toNs: (s) => Number(s.trim()) }, // v1, systemd
  ...[`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, `/sys/fs/cgroup/docker/${id}/cpu.stat`].map((path) => ({
    path, toNs: (s: string) => Number(/usage_usec (\d+)/.exec(s)?.[1]) * 1000, // v2
  })),
];

const containers = execFileSync('docker', ['ps', '--no-trunc', '--filter', `label=com.docker.compose.project=${t.projectName}`, '--format', '{{.ID}} {{.Label "com.docker.compose.service"}}'], { encoding: 'utf8' })
  .trim().split('\n').filter(Boolean).map((l) => {
    const [id, service] = l.split(' ') as [string, string];
    const c = counters(id).find((k) => existsSync(k.path));
    if (!c) throw new Error(`no CPU counter found for container ${service} (${id}) under /sys/fs/cgroup`);
    return { service, read: () => c.toNs(readFileSync(c.path, 'utf8')) };
  }).sort((a, b) => a.service.localeCompare(b.service));
if (!containers.length) throw new Error(`no containers of project ${t.projectName}: bring the mesh up first (FAULTLINE_PROJECT=${t.projectName} FAULTLINE_BIND=${t.host} node src/cli/main.ts up)`);

/** CPU ns per container over the window. */
async function window(): Promise<{ seconds: number; byService: Record<string, number> }> {
  const before = containers.map((c) => c.read());
  const w0 = performance.now();
  await sleep(SECONDS * 1000);
  const after = containers.map((c) => c.read());
  return { seconds: (performance.now() - w0) / 1000, byService: Object.fromEntries(containers.map((c, i) => [c.service, after[i]! - before[i]!])) };
}

const pct = (ns: number, seconds: number) => (ns / 1e9 / seconds) * 100;
const total = (w: { byService: Record<string, number> }) => Object.values(w.byService).reduce((a, b) => a + b, 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Pair { unwatched: Awaited<ReturnType<typeof window>>; watched: Awaited<ReturnType<typeof window>>; selfPct: number; rates: Record<string, number>; streams?: unknown }
const pairs: Pair[] = [];
console.log(`observer effect on ${t.projectName} (${containers.length} containers, ${t.host}): ${PAIRS} pairs of ${SECONDS} s windows, observers at ${HZ} Hz (${module})`);
for (let i = 0; i < PAIRS; i++) {
  // Alternate which comes first, so a slow drift of the mesh's own load does not favour either.
  const run: Partial<Pair> = {};
  for (const watched of i % 2 ? [true, false] : [false, true]) {
    if (!watched) {
      await sleep(Number(args.settle) * 1000);
      run.unwatched = await window();
      continue;
    }
    const obs = await startObservers(t, { observe: () => undefined, sentinelEvent: () => undefined }, { hz: HZ });
    await sleep(Number(args.settle) * 1000); // connections open, first answers in
    const s1 = obs.stats();
    const c1 = process.cpuUsage();
    run.watched = await window();
    const s2 = obs.stats();
    const c = process.cpuUsage(c1);
    run.selfPct = pct((c.user + c.system) * 1000, run.watched.seconds);
    run.rates = Object.fromEntries(Object.keys(s2.byPoller).map((k) => [k, (s2.byPoller[k]! - (s1.byPoller[k] ?? 0)) / run.watched!.seconds]));
    run.streams = (s2 as { streams?: unknown }).streams;
    await obs.stop();
  }
  const p = run as Pair;
  pairs.push(p);
  console.log(`pair ${i + 1}: unwatched ${pct(total(p.unwatched), p.unwatched.seconds).toFixed(1)}%, watched ${pct(total(p.watched), p.watched.seconds).toFixed(1)}% of one core ` +
    `(difference ${(pct(total(p.watched), p.watched.seconds) - pct(total(p.unwatched), p.unwatched.seconds)).toFixed(1)}%); observer process ${p.selfPct.toFixed(1)}%`);
}

const diff = (p: Pair, s?: string) => s === undefined
  ? pct(total(p.watched), p.watched.seconds) - pct(total(p.unwatched), p.unwatched.seconds)
  : pct(p.watched.byService[s] ?? 0, p.watched.seconds) - pct(p.unwatched.byService[s] ?? 0, p.unwatched.seconds);
console.log('\nper container, median over pairs (% of one core): unwatched -> watched (difference)');
for (const c of containers) {
  const u = median(pairs.map((p) => pct(p.unwatched.byService[c.service] ?? 0, p.unwatched.seconds)));
  const w = median(pairs.map((p) => pct(p.watched.byService[c.service] ?? 0, p.watched.seconds)));
  console.log(`  ${c.service.padEnd(12)} ${u.toFixed(2).padStart(6)} -> ${w.toFixed(2).padStart(6)}  (${median(pairs.map((p) => diff(p, c.service))).toFixed(2)})`);
}
const keys = Object.keys(pairs[0]!.rates).sort();
console.log(`\npolls per second per poller (median over pairs): ${keys.map((k) => `${k} ${median(pairs.map((p) => p.rates[k]!)).toFixed(1)}`).join(', ')}`);
console.log(`slowest poller: ${Math.min(...keys.map((k) => median(pairs.map((p) => p.rates[k]!)))).toFixed(1)} Hz (asked ${HZ} Hz)`);
if (pairs[0]!.streams) console.log(`event streams (last pair): ${JSON.stringify(pairs.at(-1)!.streams)}`);
console.log(`observer process CPU: median ${median(pairs.map((p) => p.selfPct)).toFixed(1)}% of one core`);
const effect = median(pairs.map((p) => diff(p)));
console.log(`\nOBSERVER EFFECT: median watched - unwatched = ${effect.toFixed(1)}% of one core over ${pairs.length} pairs of ${SECONDS} s (target <= 5%: ${effect <= 5 ? 'MET' : 'MISSED'})`);
