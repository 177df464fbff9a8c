// How long judging takes, and how much memory, on a long run read from disk: stream the journal,
// build the history, run every check. Peer: the floor, reading the same journal the same way and
// parsing each line with JSON.parse and nothing else. Each measurement runs in a process of its
// own (peak RSS is per process), judge and floor alternating; medians of --runs, and the ratio.
// The judge measured is the installed package's, the compiled dist/ (built first), as a user runs
// it: run from the .ts sources, Node's type stripping costs each of its threads about 18 MB more.
//   node test/bench/judge.bench.ts [--ops 1000000] [--runs 5]   (--write <file>: only write the journal)
// Targets (issue 8): 1M recorded operations judged with peak RSS <= 200 MB in <= 1.5x the floor.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { forEachEntry } from '../../src/history/journal.ts';
import { SloSchema } from '../../src/config/slo.ts';
import { summarize } from './stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { ops: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' }, child: { type: 'string' }, journal: { type: 'string' }, write: { type: 'string' } } });

const STORES = { postgres: { members: ['pg-a', 'pg-b'], kind: 'postgres' }, redis: { members: ['redis-a', 'redis-b'], kind: 'redis', masterName: 'mymaster' } };
const SLOS = SloSchema.parse({ maxFailoverTime: 20_000, maxUnavailableTime: 10_000, maxErrorRate: 0.1, maxP99DuringFault: 500, noSplitBrain: true, maxFailovers: 1, maxLostAckedWrites: 0 });

/** A journal like a real run's, written as it goes: writes at 300/s through two apps, a 60 s fault in the middle, a failover, a ledger. */
function synthesize(path: string, n: number): void {
  const fd = openSync(path, 'w');
  let buf: string[] = [];
  const out = (o: Record<string, unknown>) => {
    buf.push(JSON.stringify(o));
    if (buf.length >= 10_000) {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  };
  const period = 1000 / 300;
  const endMs = n * period;
  const faultT = Math.round(endMs / 2);
  const healT = faultT + 60_000;
  out({ t: 0, type: 'run-start', runId: 'bench', experiment: 'bench', wallClock: new Date().toISOString(), stores: STORES, slos: SLOS });
  const obs = (t: number, source: string, node: string, value: string) => out({ t, type: 'observe', source, node, store: source.startsWith('redis') ? 'redis' : 'postgres', value });
  obs(1, 'pg-recovery', 'pg-a', 'primary'); obs(1, 'pg-recovery', 'pg-b', 'replica'); obs(1, 'redis-role', 'redis-a', 'primary'); obs(1, 'redis-role', 'redis-b', 'replica');
  const pending: { t: number; line: Record<string, unknown> }[] = [];
  const flushUntil = (t: number) => {
    pending.sort((a, b) => a.t - b.t);
    while (pending.length && pending[0]!.t <= t) out(pending.shift()!.line);
  };
  const events = [
    { t: faultT, line: { t: faultT, type: 'fault-inject', id: 'f1' } }, { t: faultT + 1, line: { t: faultT + 1, type: 'touch', id: 'f1', key: 'node:pg-a' } },
    { t: faultT + 2, line: { t: faultT + 2, type: 'fault-injected', id: 'f1', kind: 'kill', description: 'SIGKILL to pg-a' } },
    { t: faultT + 60, line: { t: faultT + 60, type: 'observe', source: 'pg-recovery', node: 'pg-a', store: 'postgres', value: 'down' } },
    { t: faultT + 7600, line: { t: faultT + 7600, type: 'observe', source: 'pg-recovery', node: 'pg-b', store: 'postgres', value: 'primary' } },
    { t: healT, line: { t: healT, type: 'fault-healed', id: 'f1' } },
    { t: healT + 5000, line: { t: healT + 5000, type: 'observe', source: 'pg-recovery', node: 'pg-a', store: 'postgres', value: 'replica' } },
  ];
  pending.push(...events);
  for (let i = 0; i < n; i++) {
    const t = Math.round(i * period * 10) / 10;
    flushUntil(t);
    const bad = t >= faultT && t < faultT + 8000;
    out({ t, type: 'op-invoke', op: `bench-${i}`, client: i % 2 ? 'app-b' : 'app-a', scheduledT: t, stores: ['postgres', 'redis'] });
    const end = t + (bad ? 2000 : 15);
    pending.push({ t: end, line: { t: end, type: 'op-end', op: `bench-${i}`, outcome: bad ? 'indeterminate' : 'ok', ...(bad ? {} : { status: 201, nodes: { postgres: t < faultT ? 'pg-a' : 'pg-b', redis: 'redis-a' } }) } });
  }
  flushUntil(Infinity);
  out({ t: endMs + 3000, type: 'ledger', stores: { postgres: { primary: 'pg-b', asked: n, missing: [] }, redis: { primary: 'redis-a', asked: n, missing: [] } } });
  out({ t: endMs + 3100, type: 'run-complete' });
  writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
}

/** In a child: one measurement, printed as JSON. "checks" is the checks alone, "floor" the peer ("judge" is JUDGE_CHILD). */
async function child(kind: string, path: string): Promise<void> {
  const t0 = performance.now();
  let detail: string;
  if (kind === 'checks') {
    // The checks alone, in this thread: read, history, every check, the run verdict (no worker, no reports).
    const { readHistory } = await import('../../src/history/read.ts');
    const { judge } = await import('../../src/checks/judge.ts');
    const { runVerdict } = await import('../../src/checks/run-verdict.ts');
    const h = readHistory(path);
    const j = judge(h, { stores: STORES, slos: SLOS });
    detail = `${h.ops.length} ops, run ${runVerdict(h, j).verdict}`;
  } else if (kind === 'floor') {
    let lines = 0;
    forEachEntry(path, (e) => void (lines += e ? 1 : 0));
    detail = `${lines} lines`;
  } else throw new Error(`no child kind ${kind}`);
  report(t0, detail);
}

/** The installed package's judge in a process of plain JavaScript: no type stripping, no bench code loaded beside it. */
const JUDGE_CHILD = `
const t0 = performance.now();
const { judgeRun } = await import(process.argv[2]);
const r = await judgeRun({ runDir: process.argv[3] });
const j = r.judgement;
console.log(JSON.stringify({ ms: performance.now() - t0, maxRssMB: process.resourceUsage().maxRSS / 1024, detail: j.writes.attempted + ' ops, SLOs ' + j.verdict + ', postgres promoted +' + j.failover.postgres?.promotedMs + ' ms, reports written' }));
`;

function report(t0: number, detail: string): void {
  console.log(JSON.stringify({ ms: performance.now() - t0, maxRssMB: process.resourceUsage().maxRSS / 1024, detail }));
}

if (values.child) await child(values.child, values.journal!);
else if (values.write) synthesize(values.write, Number(values.ops)); // keep a journal to profile with
else {
  const n = Number(values.ops);
  const runs = Number(values.runs);
  const dir = mkdtempSync(join(tmpdir(), 'fl-bench-judge-'));
  const path = join(dir, 'journal.jsonl');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    synthesize(path, n);
    const self = fileURLToPath(import.meta.url);
    // A file, not `node -e`: the judge's worker threads inherit the process's flags.
    const judgeChild = join(dir, 'judge-child.mjs');
    writeFileSync(judgeChild, JUDGE_CHILD);
    const args = (kind: string) => (kind === 'judge' ? [judgeChild, pathToFileURL(join(ROOT, 'dist/runner/judge-run.js')).href, dir] : [self, '--child', kind, '--journal', path]);
    const measure = (kind: string) => JSON.parse(execFileSync(process.execPath, args(kind), { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').at(-1)!) as { ms: number; maxRssMB: number; detail: string };
    const judged: { ms: number; maxRssMB: number; detail: string }[] = [];
    const checks: { ms: number; maxRssMB: number; detail: string }[] = [];
    const floor: { ms: number; maxRssMB: number; detail: string }[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(measure('floor'));
      judged.push(measure('judge'));
      checks.push(measure('checks'));
    }
    const c = summarize(checks.map((x) => x.ms));
    const cr = summarize(checks.map((x) => x.maxRssMB));
    const j = summarize(judged.map((x) => x.ms));
    const f = summarize(floor.map((x) => x.ms));
    const jr = summarize(judged.map((x) => x.maxRssMB));
    const fr = summarize(floor.map((x) => x.maxRssMB));
    console.log(`journal: ${n} operations, ${(statSync(path).size / 1e6).toFixed(0)} MB on disk (${judged[0]!.detail}; ${floor[0]!.detail})`);
    console.log(`faultline judge, dist/ (worker: stream + history + every check + reports): median ${j.median.toFixed(0)} ms (min ${j.min.toFixed(0)}, max ${j.max.toFixed(0)}), peak RSS median ${jr.median.toFixed(0)} MB (max ${jr.max.toFixed(0)}), n=${runs}`);
    console.log(`floor (stream + JSON.parse per line):   median ${f.median.toFixed(0)} ms (min ${f.min.toFixed(0)}, max ${f.max.toFixed(0)}), peak RSS median ${fr.median.toFixed(0)} MB`);
    console.log(`checks alone (stream + history + every check, in-process): median ${c.median.toFixed(0)} ms (min ${c.min.toFixed(0)}, max ${c.max.toFixed(0)}), peak RSS median ${cr.median.toFixed(0)} MB; ratio to the floor ${(c.median / f.median).toFixed(2)}x`);
    // Judge and floor run back to back: each pair's ratio cancels the machine's drift between pairs.
    const paired = summarize(judged.map((x, i) => x.ms / floor[i]!.ms));
    console.log(`ratio judge / floor: ${(j.median / f.median).toFixed(2)}x of the medians, ${paired.median.toFixed(2)}x median of the ${runs} back-to-back pairs (min ${paired.min.toFixed(2)}, max ${paired.max.toFixed(2)}; target <= 1.5x: ${paired.median <= 1.5 ? 'MET' : 'MISSED'}); peak RSS ${jr.median.toFixed(0)} MB (target <= 200 MB: ${jr.max <= 200 ? 'MET' : 'MISSED'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
