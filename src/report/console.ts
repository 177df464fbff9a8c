// The terminal view of a judged run: an end-of-run summary (SLOs, failover phases, writes, split
// brain, latency per phase) in the same cli-table3 + picocolors style as src/cli/render-run.ts, and a
// one-line progress line for long runs.
import Table from 'cli-table3';
import pc from 'picocolors';
import { formatMs } from '../core/duration.ts';
import { PHASES, type Judgement, type Verdict } from '../core/verdict.ts';
import { formatValue, sinceFault } from './format.ts';

/** A verdict in colour; cleanup's ok/failed read as pass/fail. */
export const paintVerdict = (v: Verdict | 'ok' | 'failed'): string =>
  v === 'pass' || v === 'ok' ? pc.green(pc.bold(v.toUpperCase())) : v === 'unknown' ? pc.yellow(pc.bold('UNKNOWN')) : pc.red(pc.bold(v.toUpperCase()));
const paint = paintVerdict;

const table = (head: string[]): Table.Table => new Table({ head, style: { head: ['bold'], compact: true } });

/** The run's identity as the summary heads it (a History has it; so does a RunResult). */
export interface RunHeader { experiment: string; runId: string; complete: boolean }

export function renderSummary(h: RunHeader, j: Judgement): string {
  const slos = table(['SLO', 'observed', 'limit', 'verdict']);
  for (const s of j.slos) slos.push([s.name, formatValue(s.observed, s.unit), formatValue(s.limit, s.unit), paint(s.verdict)]);

  const failover = table(['store', 'primary', 'caused by', 'detected', 'unreachable', 'promoted', 'recovered', 'write gap']);
  for (const f of Object.values(j.failovers).flat()) {
    failover.push([f.store, `${f.oldPrimary ?? '?'} -> ${f.newPrimary ?? pc.dim('none')}`, f.cause?.id ?? pc.yellow('none'), sinceFault(f.detectedMs), sinceFault(f.unreachableMs), sinceFault(f.promotedMs),
      f.recoveredMs === null && f.promotedMs !== null ? pc.red('never') : sinceFault(f.recoveredMs), f.writeGapMs === null ? '-' : formatMs(f.writeGapMs)]);
  }

  const latency = table(['latency', 'all writes', 'p50', 'p99', 'ok writes', 'p50', 'p99']);
  for (const p of PHASES) {
    const a = j.latency.all[p];
    const o = j.latency.ok[p];
    latency.push([p, String(a?.count ?? 0), a ? formatMs(a.p50) : '-', a ? formatMs(a.p99) : '-', String(o?.count ?? 0), o ? formatMs(o.p50) : '-', o ? formatMs(o.p99) : '-']);
  }

  const w = j.writes;
  const lostText = w.lost === null ? pc.yellow('lost unknown') : w.lost ? pc.red(`${w.lost} lost`) : '0 lost';
  const writes = `writes: ${w.attempted} attempted, ${w.acked} acked, ${lostText}, ${w.indeterminate} indeterminate, ${w.failed} failed${w.clientBugs ? pc.yellow(`, ${w.clientBugs} client bug(s), not counted`) : ''}`;
  const origin = j.faultT ?? 0;
  const lost = w.lostSpans.map((l) => `  lost: ${l.count} acknowledged by ${l.node} (${l.store}) ${sinceFault(l.fromT - origin)}..${sinceFault(l.toT - origin)}${l.droppedBy ? `, dropped when ${l.droppedBy.node} became primary without them at ${sinceFault(l.droppedBy.t - origin)}` : ''}`);
  const unreadable = w.unreadable.map((u) => pc.yellow(`  not readable: ${u.store}: ${u.reason}`));
  const bugs = w.clientBugExamples.slice(0, 3).map((b) => pc.yellow(`  client bug: ${b.id} (${b.client}): ${b.error}`));
  const brain = `split brain: ${j.splitBrainMs === null ? pc.yellow('unknown') : j.splitBrainMs ? pc.red(formatMs(j.splitBrainMs)) : 'none'}${j.dualPrimaryClaimMs ? ` (two members said primary for ${formatMs(j.dualPrimaryClaimMs)})` : ''}`;
  return [
    // The SLOs' verdict only: the run's own verdict (steady state, interruptions) is the caller's to show.
    `${pc.bold(h.experiment)}: SLOs ${j.slos.length ? paint(j.verdict) : pc.dim('none')} (run ${h.runId}${h.complete ? '' : pc.red(', incomplete journal')})`,
    j.slos.length ? slos.toString() : pc.dim('no SLOs declared'),
    ...(Object.values(j.failovers).flat().length ? [pc.dim('failovers, each from the fault that caused it:'), failover.toString()] : []),
    `${writes}; ${brain}`,
    ...lost, ...unreadable, ...bugs,
    latency.toString(),
  ].join('\n');
}

export interface Progress { phase: string; t: number; opsPerS: number; errors: number; primaries: Record<string, string | null> }

/** One line, no newline: `during  +12.3 s  19.8 ops/s  4 errors  postgres=pg-b redis=redis-a`. */
export function progressLine(s: Progress): string {
  const primaries = Object.entries(s.primaries).map(([store, p]) => `${store}=${p ?? pc.red('none')}`).join(' ');
  return [
    pc.bold(s.phase.padEnd(7)),
    `+${(s.t / 1000).toFixed(1)} s`.padStart(9),
    `${s.opsPerS.toFixed(1)} ops/s`.padStart(11),
    s.errors ? pc.red(`${s.errors} errors`) : pc.dim('0 errors'),
    primaries,
  ].filter(Boolean).join('  ');
}
