// One self-contained HTML report per run: the verdict, the SLOs, the failover phases and a timeline
// of throughput, errors, latency and roles with the faults shaded. Everything it needs is inlined
// (uPlot, its CSS, the drawing script, the data), and a Content-Security-Policy forbids any fetch,
// so the file opens the same from a CI artifact, an e-mail or a laptop with no network.
//
// Charts: uPlot (MIT, no dependencies, ~50 KB minified, canvas). It draws a few thousand points
// instantly, syncs cursors across charts, and its hooks let the report shade fault intervals and
// draw role lanes without a second library. It is read from node_modules at render time, so the
// report carries exactly the version the package depends on.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { formatMs } from '../core/duration.ts';
import { PHASES, type Judgement, type RunVerdict, type Verdict } from '../core/verdict.ts';
import type { History } from '../history/model.ts';
import { describeVariants, formatValue, sinceFault } from './format.ts';

import { reportSeries } from './series.ts';

/** Colours of the charts; also read by the browser test to find what was drawn. */
export const PALETTE = {
  ok: '#15803d',
  failed: '#dc2626',
  indeterminate: '#d97706',
  p50: '#2563eb',
  p99: '#9333ea',
  faultFill: 'rgba(220, 38, 38, 0.14)',
  lost: '#7c3aed',
  lostFill: 'rgba(124, 58, 237, 0.55)',
  promotion: '#0f766e',
  roles: { primary: '#2563eb', replica: '#94a3b8', down: '#dc2626', other: '#d97706' } as Record<string, string>,
};

const require = createRequire(import.meta.url);
export const asset = (spec: string | URL): string => readFileSync(typeof spec === 'string' ? require.resolve(spec) : spec, 'utf8');

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Raw text inlined into <script>/<style> ends at the first "</tag" and misparses after "<!--"; refuse rather than guess. */
export function inlineable(text: string, tag: 'script' | 'style', what: string): string {
  if (new RegExp(`</${tag}|<!--`, 'i').test(text)) throw new Error(`${what} contains "</${tag}" or "<!--" and cannot be inlined into the HTML report`);
  return text;
}

/** JSON for a <script type="application/json">: "<" as \u003c, so "</script>" and "<!--" in any string stay inert. */
export const jsonForScript = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

export const badge = (v: Verdict): string => `<span class="v v-${v}">${v.toUpperCase()}</span>`;

function sloTable(j: Judgement): string {
  if (!j.slos.length) return '<p class="dim">No SLOs were declared.</p>';
  const rows = j.slos.map((s) => `<tr data-slo="${esc(s.name)}"><td>${esc(s.name)}</td><td class="num">${esc(formatValue(s.observed, s.unit))}</td><td class="num">${esc(formatValue(s.limit, s.unit))}</td><td class="verdict">${badge(s.verdict)}</td><td class="evidence">${esc(s.evidence)}</td></tr>`);
  return `<table id="slos"><thead><tr><th>SLO</th><th>observed</th><th>limit</th><th>verdict</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function failoverTable(j: Judgement): string {
  const all = Object.values(j.failovers).flat();
  if (!all.length) return `<p class="dim">No store failed over, and no fault hit a store's primary.</p>`;
  const rows = all.map((f) => `<tr><td>${esc(f.store)}</td><td class="nowrap">${esc(f.oldPrimary ?? '-')} → ${esc(f.newPrimary ?? 'none')}</td><td>${esc(f.cause ? f.cause.id : 'none (unnecessary)')}</td>${[f.detectedMs, f.unreachableMs, f.promotedMs, f.recoveredMs, f.errorRateBaselineMs].map((ms) => `<td class="num">${esc(sinceFault(ms))}</td>`).join('')}<td class="num">${f.writeGapMs === null ? '-' : esc(formatMs(f.writeGapMs))}</td><td class="evidence">${esc(f.evidence.join('; '))}</td></tr>`);
  return `<table id="failover"><thead><tr><th>store</th><th>primary</th><th>caused by</th><th>detected</th><th>unreachable</th><th>promoted</th><th>clients recovered</th><th>error rate back</th><th>write gap</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function writesAndLatency(j: Judgement): string {
  const w = j.writes;
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${v} ms`);
  const lat = PHASES.map((p) => {
    const a = j.latency.all[p];
    const o = j.latency.ok[p];
    return `<tr><td>${p}</td><td class="num">${a?.count ?? 0}</td><td class="num">${ms(a?.p50)}</td><td class="num">${ms(a?.p99)}</td><td class="num">${o?.count ?? 0}</td><td class="num">${ms(o?.p50)}</td><td class="num">${ms(o?.p99)}</td><td class="num">${ms(o?.max)}</td></tr>`;
  });
  const origin = j.faultT ?? 0;
  const lost = w.lostSpans.map((l) => `<li>${l.count} acknowledged by <b>${esc(l.node)}</b> (${esc(l.store)}) between ${esc(sinceFault(l.fromT - origin))} and ${esc(sinceFault(l.toT - origin))}${l.droppedBy ? `, dropped when <b>${esc(l.droppedBy.node)}</b> became primary without them at ${esc(sinceFault(l.droppedBy.t - origin))}` : ''}</li>`);
  const unreadable = w.unreadable.map((u) => `<li>${esc(u.store)} could not be read: ${esc(u.reason)}</li>`);
  const bugs = w.clientBugExamples.slice(0, 3).map((b) => `<li>client bug on ${esc(b.id)} (${esc(b.client)}): ${esc(b.error)}</li>`);
  return `<p>${w.attempted} writes attempted, ${w.acked} acknowledged, <b>${w.lost === null ? 'unknown' : w.lost} lost</b>, ${w.failed} failed, ${w.indeterminate} indeterminate (${w.indeterminateCommitted} committed, ${w.indeterminateNotCommitted} not, ${w.indeterminateUnknown} unknown)${w.clientBugs ? `, ${w.clientBugs} client bug(s), not counted` : ''}; split brain ${j.splitBrainMs === null ? 'unknown' : esc(formatMs(j.splitBrainMs))}; two members saying primary ${esc(formatMs(j.dualPrimaryClaimMs))}.</p>
${lost.length || unreadable.length || bugs.length ? `<ul id="lost">${lost.join('')}${unreadable.join('')}${bugs.join('')}</ul>` : ''}
<table id="latency"><thead><tr><th>phase</th><th>all writes</th><th>p50</th><th>p99</th><th>ok writes</th><th>p50</th><th>p99</th><th>max</th></tr></thead><tbody>${lat.join('')}</tbody></table>`;
}

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2937; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.dim, .meta { color: #6b7280; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { font-weight: 600; background: #f9fafb; } td.num { text-align: right; white-space: nowrap; }
td.evidence { color: #4b5563; font-size: 12px; } td.nowrap { white-space: nowrap; }
#latency { width: auto; } #latency td, #latency th { padding-right: 24px; }
.v { font-weight: 700; padding: 1px 6px; border-radius: 3px; color: #fff; font-size: 12px; }
.v-pass { background: ${PALETTE.ok}; } .v-fail { background: ${PALETTE.failed}; } .v-unknown { background: ${PALETTE.indeterminate}; }
.chart { margin: 8px 0 16px; }
.key span { display: inline-block; margin-right: 14px; } .key i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
`;

export function renderHtml(h: History, j: Judgement, run?: RunVerdict): string {
  const series = reportSeries(h, j.faultT, j);
  const verdict = run?.verdict ?? j.verdict;
  const title = `${h.experiment || 'experiment'}: ${verdict.toUpperCase()}`;
  const xFrom = series.origin === 'fault' ? 'the first fault injection' : 'the run start (no fault was injected)';
  const key = Object.entries(PALETTE.roles).map(([role, c]) => `<span><i style="background:${c}"></i>${role}</span>`).join('')
    + `<span><i style="background:${PALETTE.faultFill}"></i>fault active</span><span><i style="background:${PALETTE.promotion}"></i>promotion</span><span><i style="background:${PALETTE.lost}"></i>lost writes acknowledged / the promotion that dropped them</span>`;
  const faults = h.faults.map((f) => `<li><b>${esc(f.id)}</b> ${esc(f.description)}: ${esc(sinceFault(f.start - series.originT))} → ${f.end === null ? 'never healed' : esc(sinceFault(f.end - series.originT))}</li>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${inlineable(asset('uplot/dist/uPlot.min.css'), 'style', 'uPlot CSS')}${CSS}</style>
</head>
<body>
<header>
<h1>${esc(h.experiment || 'experiment')} ${badge(verdict)}</h1>
<div class="meta" id="run-state">run ${esc(h.runId)} · ${esc(h.wallClock)} · ${esc(formatMs(Math.round(h.endT)))} · ${h.complete ? 'recording complete' : '<b>incomplete run: the process died before recording finished</b>'}${run ? ` · cleanup ${esc(run.cleanup)}` : ''}</div>
${run?.reasons.length ? `<ul id="reasons">${run.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}
${h.run.variants ? `<pre id="variants">${esc(describeVariants(h.run.variants).join('\n'))}</pre>` : ''}
</header>
<h2>SLOs</h2>
${sloTable(j)}
<h2>Failovers (times from the fault that caused each)</h2>
${failoverTable(j)}
<h2>Writes and latency</h2>
${writesAndLatency(j)}
<h2>Timeline</h2>
<section id="timeline">
<p class="dim">x: seconds from ${xFrom}; 1 s buckets by completion time; latency from the scheduled send time.</p>
<div class="chart" id="chart-throughput"></div>
<div class="chart" id="chart-errors"></div>
<div class="chart" id="chart-latency"></div>
<div class="chart" id="chart-roles"></div>
<div class="key">${key}</div>
</section>
<h2>Faults</h2>
${faults.length ? `<ul>${faults.join('')}</ul>` : '<p class="dim">No fault was injected.</p>'}
<script type="application/json" id="faultline-data">${jsonForScript({ series, palette: PALETTE })}</script>
<script>${inlineable(asset('uplot/dist/uPlot.iife.min.js'), 'script', 'uPlot')}</script>
<script>${inlineable(asset(new URL('./html-client.js', import.meta.url)), 'script', 'html-client.js')}</script>
</body>
</html>
`;
}
