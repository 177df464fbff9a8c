// Generator benchmark (issue 8, benchmark 3): faultline's open-loop generator against vegeta, an
// open-loop peer, on a trivial local Fastify endpoint in its own process. For each rate of a ladder,
// schedule drift (send time − due time) p50/p99/max; the highest rate each holds with drift p99 < 1 ms,
// the rate within 1% and no errors; the ratio faultline/vegeta. autocannon, closed loop, as contrast.
// Prints medians of --runs runs.
//   node test/bench/generator.bench.ts [--rates 500,1000,2000,...] [--seconds 3] [--runs 3] [--connections 10]
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startOpenLoop, type OpSink, type Send } from '../../src/workload/open-loop.ts';
import { holds, holdsWithin, stepOf, type Step } from './drift.ts';
import { ensureVegeta, killAll, runAutocannon, runVegeta, track, type Closed } from './generator-peers.ts';
import { summarize } from './stats.ts';

const { values: args } = parseArgs({ options: {
  rates: { type: 'string', default: '250,500,1000,2000,4000' }, seconds: { type: 'string', default: '3' },
  runs: { type: 'string', default: '3' }, connections: { type: 'string', default: '10' },
} });
const rates = args.rates.split(',').map(Number).sort((a, b) => a - b);
const seconds = Number(args.seconds), runs = Number(args.runs), connections = Number(args.connections);
const root = new URL('../..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const med = (xs: number[]) => summarize(xs).median;

async function startServer(): Promise<string> {
  const c = track(spawn(process.execPath, [new URL('./generator-server.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] }));
  for await (const l of createInterface({ input: c.stdout! })) {
    const m = /^port (\d+)$/.exec(l);
    if (m) return `http://127.0.0.1:${m[1]}/writes`;
  }
  throw new Error('the endpoint exited before listening');
}

/** faultline's generator, sending as the reference workload does (undici, keep-alive, JSON POST). */
async function runFaultline(url: string, rate: number): Promise<Step> {
  const dispatcher = new Agent({ keepAliveTimeout: 4000, connections: 256 });
  const now = () => performance.now();
  const due = new Map<string, number>();
  const sentAt: number[] = [], drift: number[] = [];
  let errors = 0;
  const sink: OpSink = { invoke: (op) => due.set(op.id, op.scheduledT), end: (op) => { if (op.outcome !== 'ok') errors++; } };
  const send: Send = async (_client, id) => {
    const t = now();
    sentAt.push(t);
    drift.push(t - due.get(id)!);
    due.delete(id);
    try {
      const r = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }), dispatcher, signal: AbortSignal.timeout(5000) });
      await r.body.json();
      return { outcome: r.statusCode === 201 ? 'ok' : 'fail', status: r.statusCode };
    } catch (e) {
      return { outcome: 'indeterminate', error: (e as Error).message };
    }
  };
  const cpu0 = process.cpuUsage();
  const loop = startOpenLoop({ rate, clients: ['bench'], idPrefix: 'g', maxInFlight: rate * 5 * 2, now, send, sink });
  await sleep(seconds * 1000);
  await loop.stop();
  const cpu = process.cpuUsage(cpu0);
  await dispatcher.close();
  return stepOf('faultline', rate, sentAt, drift, errors, (cpu.user + cpu.system) / 1e6 / seconds);
}

/** The highest rate of the ladder held, every lower rate held too; 0 when the lowest is missed. */
function highest(steps: Step[], pass = holds): number {
  let h = 0;
  for (const s of [...steps].sort((a, b) => a.rate - b.rate)) if (pass(s)) h = s.rate; else break;
  return h;
}

const f3 = (x: number) => x.toFixed(3).padStart(7);
try {
  const url = await startServer();
  const vegeta = ensureVegeta(root);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  console.log(`endpoint ${url} (own process); ladder ${rates.join(', ')} /s; ${seconds} s a step; ${runs} runs; vegeta ${vegeta ? 'default -workers=10, -max-workers unlimited; -timeout=5s as ours' : 'skipped'}`);
  await runFaultline(url, rates[0]!);  // warm-up, not counted: JIT, sockets, the endpoint's own warm-up
  const steps: Step[][] = [];
  const closed: Closed[] = [];
  for (let r = 0; r < runs; r++) {
    const got: Step[] = [];
    for (const rate of rates) {
      // Alternate who goes first, so neither always meets the machine just after the other.
      const order = r % 2 ? ['vegeta', 'faultline'] : ['faultline', 'vegeta'];
      for (const tool of order) {
        if (tool === 'faultline') got.push(await runFaultline(url, rate));
        else if (vegeta) got.push(await runVegeta(vegeta, url, rate, seconds));
      }
    }
    closed.push(await runAutocannon(url, seconds, connections));
    steps.push(got);
    const h = (tool: string) => highest(got.filter((s) => s.tool === tool));
    console.log(`run ${r + 1}/${runs}: highest held faultline ${h('faultline')} /s, vegeta ${vegeta ? `${h('vegeta')} /s` : '-'}`);
  }

  console.log(`\nmedians of ${runs} runs; drift in ms (send time − due time); held = drift p99 < 1 ms, rate within 1%, no errors`);
  console.log(`${'tool'.padEnd(10)} ${'rate/s'.padStart(7)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)} ${'achieved'.padStart(9)} ${'errors'.padStart(6)} ${'cpu'.padStart(5)}  held`);
  for (const tool of ['faultline', 'vegeta']) for (const rate of rates) {
    const ss = steps.flat().filter((s) => s.tool === tool && s.rate === rate);
    if (!ss.length) continue;
    console.log(`${tool.padEnd(10)} ${String(rate).padStart(7)} ${f3(med(ss.map((s) => s.p50)))} ${f3(med(ss.map((s) => s.p99)))} ${f3(med(ss.map((s) => s.max)))} ${med(ss.map((s) => s.achieved)).toFixed(0).padStart(9)} ${String(med(ss.map((s) => s.errors))).padStart(6)} ${`${(med(ss.map((s) => s.cpu)) * 100).toFixed(0)}%`.padStart(5)}  ${ss.filter(holds).length}/${ss.length}`);
  }
  const verdict = (bar: string, pass: (s: Step) => boolean) => {
    const h = (tool: string) => med(steps.map((g) => highest(g.filter((s) => s.tool === tool), pass)));
    const hf = h('faultline'), hv = vegeta ? h('vegeta') : 0;
    console.log(`\nhighest rate held, ${bar} (median of ${runs}): faultline ${hf} /s, vegeta ${vegeta ? `${hv} /s` : 'skipped'}`);
    if (!vegeta) return;
    const top = rates[rates.length - 1]!;
    console.log(`  ratio faultline / vegeta: ${hv ? `${(hf / hv).toFixed(2)}x` : 'n/a (vegeta held no rate of the ladder)'}${hv === top ? '; vegeta held the top of the ladder, so extend --rates for a true ratio' : ''}`);
  };
  verdict('drift p99 < 1 ms (the issue\'s bar, target ratio >= 0.9x)', holds);
  // Go's netpoller rounds a timer wait under 1 ms up to 1 ms on Linux, so vegeta can miss the bar at
  // any rate: the looser bars say which tool holds more where both hold something.
  for (const bar of [2, 5]) verdict(`drift p99 < ${bar} ms (for contrast, not the bar)`, holdsWithin(bar));
  // On a loaded machine scheduling stalls decide p99 for every tool; the median still tells them apart.
  verdict('drift p50 < 1 ms (for contrast, not the bar)', (s) => holds({ ...s, p99: s.p50 }));
  console.log(`\nautocannon, closed loop, ${connections} connections, ${seconds} s (median of ${runs}): ${med(closed.map((c) => c.rps)).toFixed(0)} req/s, latency p50 ${med(closed.map((c) => c.p50))} ms, p99 ${med(closed.map((c) => c.p99))} ms, max ${med(closed.map((c) => c.max))} ms, errors ${med(closed.map((c) => c.errors))}`);
  console.log('  it has no schedule, so no drift: it sends when an answer frees a connection, and its latency does not count the time a stall kept requests from being sent (coordinated omission)');
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  killAll();
}
