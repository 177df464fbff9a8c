// The terminal view of a judged run: an end-of-run summary (SLOs, failover phases, writes, split
// brain, latency per phase) in the same cli-table3 + picocolors style as src/cli/render-run.ts, and a
// one-line progress line for long runs.
import Table from 'cli-table3';
import pc from 'picocolors';
import { formatMs } from '../core/duration.ts';
import type { Judgement, Verdict } from '../core/verdict.ts';
import type { History } from '../history/model.ts';
import { formatValue, sinceFault } from './format.ts';

/** A verdict in colour; cleanup's ok/failed read as pass/fail. */
export const paintVerdict = (v: Verdict | 'ok' | 'failed'): string =>
  v === 'pass' || v === 'ok' ? pc.green(pc.bold(v.toUpperCase())) : v === 'unknown' ? pc.yellow(pc.bold('UNKNOWN')) : pc.red(pc.bold(v.toUpperCase()));
const paint = paintVerdict;

const table = (head: string[]): Table.Table => new Table({ head, style: { head: ['bold'], compact: true } });

export function renderSummary(h: History, j: Judgement): string {
  const slos = table(['SLO', 'observed', 'limit', 'verdict']);
  for (const s of j.slos) slos.push([s.name, formatValue(s.observed, s.unit), formatValue(s.limit, s.unit), paint(s.verdict)]);

  const failover = table(['store', 'primary', 'detected', 'promoted', 'recovered']);
  for (const f of Object.values(j.failover)) {
    failover.push([f.store, `${f.oldPrimary ?? '?'} -> ${f.newPrimary ?? pc.dim('none')}`, sinceFault(f.detectedMs), sinceFault(f.promotedMs),
      f.recoveredMs === null && f.promotedMs !== null ? pc.red('never') : sinceFault(f.recoveredMs)]);
  }

  const latency = table(['latency', 'ok writes', 'p50', 'p99']);
  for (const p of ['before', 'during', 'after'] as const) {
    const l = j.latency[p];
    latency.push([p, String(l?.count ?? 0), l ? formatMs(l.p50) : '-', l ? formatMs(l.p99) : '-']);
  }

  const w = j.writes;
  const writes = `writes: ${w.attempted} attempted, ${w.acked} acked, ${w.lost ? pc.red(`${w.lost} lost`) : '0 lost'}, ${w.indeterminate} indeterminate, ${w.failed} failed`;
  const brain = `split brain: ${j.splitBrainMs ? pc.red(formatMs(j.splitBrainMs)) : 'none'}`;
  return [
    // The SLOs' verdict only: the run's own verdict (steady state, interruptions) is the caller's to show.
    `${pc.bold(h.experiment)}: SLOs ${j.slos.length ? paint(j.verdict) : pc.dim('none')} (run ${h.runId}${h.complete ? '' : pc.red(', incomplete journal')})`,
    j.slos.length ? slos.toString() : pc.dim('no SLOs declared'),
    ...(Object.keys(j.failover).length ? [pc.dim('failover, from the first fault:'), failover.toString()] : []),
    `${writes}; ${brain}`,
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
