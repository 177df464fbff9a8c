// The peers of the generator benchmark, each its own process: vegeta (open loop, Go, installed from
// the Go module proxy into .tools/) and autocannon (closed loop). Every child is killed by PID at exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stepOf, type Step } from './drift.ts';

export const VEGETA = 'github.com/tsenart/vegeta/v12@v12.13.0';
const live = new Set<ChildProcess>();

export function track(c: ChildProcess): ChildProcess {
  live.add(c);
  c.once('exit', () => live.delete(c));
  return c;
}
/** CPU seconds of this process's waited-for children (Linux /proc: cutime + cstime, in clock ticks of 1/100 s). */
function childCpu(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

export function killAll(): void {
  for (const c of live) if (c.pid !== undefined && c.exitCode === null) try { process.kill(c.pid, 'SIGKILL'); } catch { /* already gone */ }
  live.clear();
}
process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { killAll(); process.exit(130); });

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    const out: Buffer[] = [], err: Buffer[] = [];
    c.stdout!.on('data', (b: Buffer) => out.push(b));
    c.stderr!.on('data', (b: Buffer) => err.push(b));
    c.once('error', reject);
    c.once('exit', (code) => code === 0 ? resolve(Buffer.concat(out).toString()) : reject(new Error(`${cmd} ${args[0]} exited ${code}: ${Buffer.concat(err).toString().slice(0, 500)}`)));
  });
}

/** vegeta's binary, installed if missing; undefined (and why, printed) when there is no Go. */
export function ensureVegeta(root: string): string | undefined {
  const bin = join(root, '.tools', 'bin', 'vegeta');
  if (existsSync(bin)) return bin;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    console.log('vegeta: not installed and `go` is not on PATH, so vegeta is skipped (install Go to compare against it)');
    return undefined;
  }
  console.log(`vegeta: installing ${VEGETA} from the Go module proxy: GOBIN=${join(root, '.tools', 'bin')} go install ${VEGETA}`);
  const r = spawnSync('go', ['install', VEGETA], { stdio: 'inherit', env: { ...process.env, GOBIN: join(root, '.tools', 'bin') } });
  if (r.status !== 0 || !existsSync(bin)) throw new Error('go install of vegeta failed');
  return bin;
}

/**
 * vegeta at a constant rate with its default workers (10 to start, no maximum) and the bench's 5 s
 * request timeout (vegeta's default is 30 s), so both tools give up on a request alike. A result's
 * timestamp is taken by the worker just before it builds and sends the request, and vegeta does not
 * record its start, so hit i's due time is taken as S + i/rate with S the earliest S for which no
 * hit was early: a lower bound on every drift (by vegeta's smallest wake-up delay).
 */
export async function runVegeta(bin: string, url: string, rate: number, seconds: number): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-bench-vegeta-'));
  writeFileSync(join(dir, 'body.json'), '{"id":"v"}');
  writeFileSync(join(dir, 'targets.txt'), `POST ${url}\nContent-Type: application/json\n@${join(dir, 'body.json')}\n`);
  const cpu0 = childCpu();
  await run(bin, ['attack', `-rate=${rate}/s`, `-duration=${seconds}s`, `-targets=${join(dir, 'targets.txt')}`, '-timeout=5s', `-output=${join(dir, 'out.bin')}`]);
  const cpu = (childCpu() - cpu0) / seconds;
  await run(bin, ['encode', '-to', 'csv', `-output=${join(dir, 'out.csv')}`, join(dir, 'out.bin')]);
  const ts: bigint[] = [];
  let errors = 0;
  for (const l of readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')) {
    if (!l) continue;
    const f = l.split(',');  // timestamp (Unix ns), code, latency, bytes out, bytes in, error, …
    ts.push(BigInt(f[0]!));
    if (f[1] !== '201' || f[5] !== '') errors++;
  }
  spawnSync('rm', ['-rf', dir]);
  ts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));  // results arrive in completion order
  const interval = Math.floor(1e9 / rate);  // ns, as vegeta's constant pacer computes it
  const off = ts.map((t, i) => Number(t - ts[0]!) - i * interval);
  const s = off.reduce((a, b) => Math.min(a, b), Infinity);
  return stepOf('vegeta', rate, ts.map((t) => Number(t - ts[0]!) / 1e6), off.map((o) => (o - s) / 1e6), errors, cpu);
}

export interface Closed { rps: number; p50: number; p99: number; max: number; errors: number }

/** autocannon, closed loop: `connections` connections each send the next request when the last answers. */
export async function runAutocannon(url: string, seconds: number, connections: number): Promise<Closed> {
  const js = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const out = await run(process.execPath, [js, '-j', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', '{"id":"a"}', url]);
  const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number; max: number }; errors: number; timeouts: number; non2xx: number };
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts + r.non2xx };
}
