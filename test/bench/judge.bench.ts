// How long judging takes on a long run, from disk: read the journal, rebuild the history, run every
// check. Peer: the floor — reading the same journal and parsing each line with JSON.parse and
// nothing else. Prints medians of --runs runs and the ratio to the floor, plus peak heap.
//   node test/bench/judge.bench.ts [--minutes 60] [--rate 100] [--runs 5]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildHistory, judge, readJournal } from '../../src/index.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, rate: { type: 'string', default: '100' }, runs: { type: 'string', default: '5' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const runs = Number(values.runs);

/** A journal like a real run's: writes at `rate`, a 60 s fault in the middle, a failover, 20 Hz role observations (changes only). */
function synthesize(path: string): number {
  const lines: string[] = [JSON.stringify({ t: 0, type: 'run-start', runId: 'bench', experiment: 'bench', wallClock: new Date().toISOString() })];
  const endMs = minutes * 60_000;
  const faultT = endMs / 2;
  const healT = faultT + 60_000;
  const obs = (t: number, source: string, node: string, value: string) => lines.push(JSON.stringify({ t, type: 'observe', source, node, store: source.startsWith('redis') ? 'redis' : 'postgres', value }));
  obs(1, 'pg-recovery', 'pg-a', 'primary'); obs(1, 'pg-recovery', 'pg-b', 'replica'); obs(1, 'patroni', 'pg-a', 'primary'); obs(1, 'patroni', 'pg-b', 'replica');
  obs(1, 'redis-role', 'redis-a', 'primary'); obs(1, 'redis-role', 'redis-b', 'replica');
  const events: [number, string][] = [];
  events.push([faultT, JSON.stringify({ t: faultT, type: 'fault-inject', id: 'f1' })], [faultT + 5, JSON.stringify({ t: faultT + 5, type: 'touch', id: 'f1', key: 'node:pg-a' })],
    [faultT + 10, JSON.stringify({ t: faultT + 10, type: 'fault-injected', id: 'f1', kind: 'kill', description: 'SIGKILL to pg-a' })],
    [healT, JSON.stringify({ t: healT, type: 'fault-healed', id: 'f1' })]);
  const ops: [number, string][] = [];
  const period = 1000 / rate;
  for (let i = 0, t = 0; t < endMs; i++, t = i * period) {
    const bad = t >= faultT && t < faultT + 8000;
    ops.push([t, JSON.stringify({ t, type: 'op-invoke', op: `bench-${i}`, client: i % 2 ? 'app-b' : 'app-a', scheduledT: t, stores: ['postgres', 'redis'] })]);
    const end = t + (bad ? 2000 : 15);
    ops.push([end, JSON.stringify({ t: end, type: 'op-end', op: `bench-${i}`, outcome: bad ? 'indeterminate' : 'ok', ...(bad ? {} : { node: t < faultT ? 'pg-a' : 'pg-b', status: 201 }) })]);
  }
  obs(faultT + 60, 'patroni', 'pg-a', 'down'); obs(faultT + 60, 'pg-recovery', 'pg-a', 'down');
  obs(faultT + 7600, 'pg-recovery', 'pg-b', 'primary'); obs(faultT + 7600, 'patroni', 'pg-b', 'primary');
  obs(healT + 5000, 'pg-recovery', 'pg-a', 'replica'); obs(healT + 5000, 'patroni', 'pg-a', 'replica');
  const all = [...events, ...ops].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  writeFileSync(path, `${[...lines, ...all, JSON.stringify({ t: endMs + 3000, type: 'run-end' })].join('\n')}\n`);
  return ops.length / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'fl-bench-judge-'));
const path = join(dir, 'journal.jsonl');
const writes = synthesize(path);
const slos = { maxFailoverTime: 20_000, maxUnavailableTime: 10_000, maxErrorRate: 0.1, maxP99DuringFault: 500, noSplitBrain: true, maxFailovers: 1 };
const stores = { postgres: { members: ['pg-a', 'pg-b'], kind: 'postgres' }, redis: { members: ['redis-a', 'redis-b'], kind: 'redis' } };

const ours: number[] = [];
const floor: number[] = [];
let peak = 0;
let verdict = '';
for (let i = 0; i < runs; i++) {
  // Side by side in one process, alternating, so both see the same machine state.
  let t0 = performance.now();
  let n = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) if (line) n += JSON.parse(line) ? 1 : 0;
  floor.push(performance.now() - t0);
  t0 = performance.now();
  const j = judge(buildHistory(readJournal(path).entries), { stores, slos });
  ours.push(performance.now() - t0);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  verdict = `${j.verdict}; promoted +${j.failover.postgres?.promotedMs} ms; ${n} lines`;
}
rmSync(dir, { recursive: true, force: true });
const o = summarize(ours);
const f = summarize(floor);
console.log(`journal of a ${minutes} min run at ${rate} writes/s: ${writes} writes (${verdict})`);
console.log(`judge from disk (read + history + every check): median ${o.median.toFixed(0)} ms (min ${o.min.toFixed(0)}, max ${o.max.toFixed(0)}), n=${runs}`);
console.log(`floor, JSON.parse of every line:                 median ${f.median.toFixed(0)} ms (min ${f.min.toFixed(0)}, max ${f.max.toFixed(0)})`);
console.log(`ratio judge / floor: ${(o.median / f.median).toFixed(2)}x; peak heap ${(peak / 1024 / 1024).toFixed(0)} MB`);
