// Ground truth for the failover figures: the harness's detection and promotion times against the
// systems' own records, over --runs primary kills of each store on a running mesh.
//   Redis:    detection = the first Sentinel log line "+sdown master <name> <old>"; promotion = the
//             new master's log line "MASTER MODE enabled".
//   Postgres: detection = the first of HAProxy's "Server postgres/<old> is DOWN" and Patroni taking
//             the leader lock; promotion = the new primary's "database system is ready to accept
//             connections" (Postgres), else Patroni's "promoted self to leader".
// Each log line's own millisecond timestamp is used (Docker's receive time for HAProxy, which has
// none). Harness times are the run's wall clock (run-start) plus the journal's monotonic ms.
// Targets (issue 8): median absolute error of promotion <= 20 ms, of detection <= 50 ms. The write
// gap (last acknowledged write before the failover to the first after) is printed too.
//   FAULTLINE_PROJECT=faultline-bench FAULTLINE_BIND=127.0.0.5 node src/cli/main.ts up
//   FAULTLINE_PROJECT=faultline-bench FAULTLINE_BIND=127.0.0.5 node test/bench/ground-truth.bench.ts [--runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTarget, readJournal, runForTest, type RunResult, type Target } from '../../src/index.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, stores: { type: 'string', default: 'redis,postgres' } } });
const runs = Number(values.runs);
const target = loadTarget();
const runsDir = mkdtempSync(join(tmpdir(), 'fl-bench-truth-'));

interface LogLine { t: number; text: string; node: string }

/** A container's log lines since `since`, each at its own timestamp when it carries one. */
function logs(t: Target, node: string, since: string): LogLine[] {
  const name = `${t.projectName}-${t.nodes[node]!.service}-1`;
  // docker logs replays the container's stdout and stderr on its own: read both.
  const r = spawnSync('docker', ['logs', '--timestamps', '--since', since, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`docker logs ${name}: ${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`.split('\n').filter(Boolean).map((l) => {
    const sp = l.indexOf(' ');
    const docker = Date.parse(l.slice(0, sp));
    const text = l.slice(sp + 1);
    return { t: ownTime(text) ?? docker, text, node };
  }).sort((a, b) => a.t - b.t);
}

const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };
/** The line's own timestamp (UTC): Redis "01 Dec 2026 09:53:57.450", Patroni "2026-12-01 09:54:30,603", Postgres "2026-12-01 09:54:30.603 UTC". */
function ownTime(text: string): number | undefined {
  const redis = /(\d{2}) (\w{3}) (\d{4}) (\d{2}:\d{2}:\d{2}\.\d{3})/.exec(text);
  if (redis && MONTHS[redis[2]!]) return Date.parse(`${redis[3]}-${MONTHS[redis[2]!]}-${redis[1]}T${redis[4]}Z`);
  const iso = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})[.,](\d{3})/.exec(text);
  if (iso) return Date.parse(`${iso[1]}T${iso[2]}.${iso[3]}Z`);
  return undefined;
}

const first = (lines: LogLine[], re: RegExp, after: number) => lines.find((l) => l.t >= after && re.test(l.text));

interface Sample { store: string; detErr: number | null; promErr: number | null; gap: number | null; detail: string }

async function one(store: 'redis' | 'postgres', i: number): Promise<Sample> {
  const r: RunResult = await runForTest({
    name: `truth-${store}-${i}`, description: 'ground-truth benchmark',
    steadyState: { probes: [{ name: `${store} settled`, role: { store, replicas: 1 }, phases: ['before', 'after'] }], recoverWithin: '90s' },
    workload: { rate: 20, warmup: '2s', cooldown: '3s' },
    timeline: [{ fault: { kind: 'kill', node: { primaryOf: store } }, for: store === 'redis' ? '8s' : '14s' }],
    slos: {},
  }, { seed: i, runsDir });
  const wall0 = Date.parse(String(readJournal(r.reports.journal).entries[0]!.wallClock));
  const f = r.judgement.failovers[store]?.[0];
  if (!f || f.originT === null || f.newPrimary === null || f.oldPrimary === null) return { store, detErr: null, promErr: null, gap: null, detail: `no failover measured (${r.verdict}: ${r.reasons.join('; ')})` };
  const origin = wall0 + f.originT;
  const since = new Date(origin - 2000).toISOString();
  const at = (ms: number | null) => (ms === null ? null : origin + ms);
  let truthDet: LogLine | undefined;
  let truthProm: LogLine | undefined;
  if (store === 'redis') {
    const master = target.stores.redis!.masterName ?? 'mymaster';
    const sentinels = Object.keys(target.nodes).filter((n) => target.nodes[n]!.kind === 'sentinel');
    const lines = sentinels.flatMap((s) => logs(target, s, since)).sort((a, b) => a.t - b.t);
    truthDet = first(lines, new RegExp(`\\+sdown master ${master} `), origin);
    truthProm = first(logs(target, f.newPrimary, since), /MASTER MODE enabled/, origin);
  } else {
    const haproxies = Object.keys(target.nodes).filter((n) => target.nodes[n]!.kind === 'haproxy');
    const down = haproxies.flatMap((hp) => logs(target, hp, since)).filter((l) => l.text.includes(`Server postgres/${f.oldPrimary} is DOWN`) && l.t >= origin);
    const patroni = logs(target, f.newPrimary, since);
    const lock = first(patroni, /acquiring session lock|promoted self to leader/, origin);
    truthDet = [...down, ...(lock ? [lock] : [])].sort((a, b) => a.t - b.t)[0];
    truthProm = first(patroni, /database system is ready to accept connections/, origin) ?? lock;
  }
  const err = (harness: number | null, truth: LogLine | undefined) => (harness === null || !truth ? null : Math.round(harness - truth.t));
  const detErr = err(at(f.detectedMs), truthDet);
  const promErr = err(at(f.promotedMs), truthProm);
  return {
    store, detErr, promErr, gap: f.writeGapMs,
    detail: `${f.oldPrimary} -> ${f.newPrimary}: detected +${f.detectedMs} ms (${f.detectedBy ?? 'no evidence'}) vs ${truthDet ? `+${Math.round(truthDet.t - origin)} ms "${truthDet.text.slice(0, 70)}"` : 'no log line'}; promoted +${f.promotedMs} ms vs ${truthProm ? `+${Math.round(truthProm.t - origin)} ms "${truthProm.text.slice(0, 60)}"` : 'no log line'}; write gap ${f.writeGapMs} ms`,
  };
}

try {
  const samples: Sample[] = [];
  for (const store of values.stores!.split(',') as ('redis' | 'postgres')[]) {
    for (let i = 0; i < runs; i++) {
      const s = await one(store, i);
      console.log(`[${store} ${i + 1}/${runs}] detection error ${s.detErr ?? '-'} ms, promotion error ${s.promErr ?? '-'} ms; ${s.detail}`);
      samples.push(s);
    }
  }
  for (const store of new Set(samples.map((s) => s.store))) {
    const mine = samples.filter((s) => s.store === store);
    const med = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.length ? summarize(v).median : NaN;
    };
    const det = med(mine.map((s) => (s.detErr === null ? null : Math.abs(s.detErr))));
    const prom = med(mine.map((s) => (s.promErr === null ? null : Math.abs(s.promErr))));
    console.log(`${store}: median |detection error| ${det} ms (target <= 50: ${det <= 50 ? 'MET' : 'MISSED'}), median |promotion error| ${prom} ms (target <= 20: ${prom <= 20 ? 'MET' : 'MISSED'}), median write gap ${med(mine.map((s) => s.gap))} ms, n=${mine.length} (${mine.filter((s) => s.detErr !== null && s.promErr !== null).length} with both records)`);
  }
} finally {
  rmSync(runsDir, { recursive: true, force: true });
}
