// Terminal rendering for experiment runs: the resolved plan (--dry-run) and the end-of-run summary.
import Table from 'cli-table3';
import pc from 'picocolors';
import { formatMs } from '../core/duration.ts';
import type { RunResult } from '../runner/run.ts';
import { paintVerdict, renderSummary } from '../report/console.ts';
import { describeVariants } from '../report/format.ts';


export function renderRun(r: RunResult): string {
  const faults = new Table({ head: ['fault', 'what', 'injected', 'healed'], style: { head: ['bold'], compact: true }, colWidths: [7, 60, 12, 12], wordWrap: true });
  for (const f of r.faults) {
    faults.push([f.id, f.description ?? (f.error ? pc.red(`not injected: ${f.error}`) : pc.dim(`${f.name} (not reached)`)),
      f.injectedMs !== undefined ? `+${formatMs(Math.round(f.injectedMs))}` : '-', f.healedMs !== undefined ? `+${formatMs(Math.round(f.healedMs))}` : '-']);
  }
  const ss = r.steadyState;
  const lines = [
    `${pc.bold(r.experiment)}: ${paintVerdict(r.verdict)} in ${formatMs(r.durationMs)} (run ${r.runId}, seed ${r.seed})`,
    faults.toString(),
    ...(r.variants ? describeVariants(r.variants).map((l) => (/NOT /.test(l) ? pc.red(l) : l)) : []),
    ...(r.primaries.given.filter((g) => g.how !== 'already').map((g) => `placed: ${g.store} primary ${g.wanted} (was ${g.was}) by a ${g.how}, settled in ${formatMs(g.ms)}`)),
    ...(r.primaries.atStart ? [`primaries when the timeline started: ${Object.entries(r.primaries.atStart).map(([s, n]) => `${s} ${n ?? pc.red('none (or several)')}`).join(', ')}`] : []),
    `steady state: before ${ss.before.every((p) => p.ok) ? 'ok' : pc.red('not met')}, during ${ss.during.breaches.length ? pc.red(`${ss.during.breaches.length} breach(es) in ${ss.during.checks} checks`) : `ok (${ss.during.checks} checks)`}, after ${ss.restoredMs !== undefined ? `restored in ${formatMs(ss.restoredMs)}` : ss.after.length ? pc.red('not restored') : '-'}`,
    `cleanup: ${paintVerdict(r.cleanup.verdict)}${r.cleanup.leftoversHealed.length ? ` (healed leftovers: ${r.cleanup.leftoversHealed.join('; ')})` : ''}${r.cleanup.leftoversRemaining.length ? pc.red(` remaining: ${r.cleanup.leftoversRemaining.join('; ')}`) : ''}`,
    ...r.reasons.map((x) => `  - ${x}`),
    renderSummary({ experiment: r.experiment, runId: r.runId, complete: true }, r.judgement),
    pc.dim(`journal: ${r.reports.journal}${r.reports.html ? `\nreport:  ${r.reports.html}` : ''}`),
  ];
  return lines.join('\n');
}
