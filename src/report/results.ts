// Many runs side by side (a sweep, or merged CI slices): a terminal table, and a self-contained
// HTML page with the same table and a chart of failover time against acknowledged writes lost,
// one point per run, so the trade a setting makes between the two is one picture.
import Table from 'cli-table3';
import pc from 'picocolors';
import { formatMs } from '../core/duration.ts';
import { paintVerdict } from './console.ts';
import { asset, badge, esc, inlineable, jsonForScript } from './html.ts';
import type { ResultRow } from './merge.ts';

const paramText = (r: ResultRow): string => (r.params ? Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ') : '');
const ms = (x: number | null): string => (x === null ? '-' : formatMs(Math.round(x)));
const lost = (r: ResultRow): string => (r.lostAckedWrites === null ? 'unknown' : String(r.lostAckedWrites));
const split = (r: ResultRow): string => (r.splitBrainMs === null ? 'unknown' : r.splitBrainMs === 0 ? 'none' : formatMs(r.splitBrainMs));

export function renderResultsTable(rows: ResultRow[]): string {
  const t = new Table({ head: ['experiment', 'params', 'failover', 'unavailable', 'lost acked', 'split brain', 'verdict'], style: { head: ['bold'], compact: true } });
  for (const r of rows) t.push([r.experiment, paramText(r) || pc.dim('-'), ms(r.failoverMs), formatMs(Math.round(r.unavailableMs)), lost(r), split(r), paintVerdict(r.verdict)]);
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  return `${t.toString()}\n${rows.length} run(s): ${count('pass')} pass, ${count('fail')} fail, ${count('unknown')} unknown`;
}

/** Point colours by verdict; also read by the browser test to find what was drawn. */
export const VERDICT_COLOURS = { pass: '#15803d', fail: '#dc2626', unknown: '#d97706' };

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#0f172a}table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #cbd5e1;padding:4px 8px;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}.v{font-weight:700;padding:1px 6px;border-radius:4px;color:#fff}.v-pass{background:#15803d}.v-fail{background:#dc2626}.v-unknown{background:#d97706}.dim{color:#64748b}#chart{margin:12px 0}`;

/** Chart points: runs whose failover time and lost writes are both known. */
export function chartPoints(rows: ResultRow[]): { x: number; y: number; label: string; verdict: string }[] {
  return rows.filter((r) => r.failoverMs !== null && r.lostAckedWrites !== null)
    .map((r) => ({ x: r.failoverMs!, y: r.lostAckedWrites!, label: `${r.experiment}${r.params ? ` ${paramText(r)}` : ''}`, verdict: r.verdict }))
    .sort((a, b) => a.x - b.x);
}

// Drawn in the page: uPlot with points only (no lines), x = failover time, y = lost writes; a
// point's label is in the table and in the hover legend.
const CLIENT = `
try {
const d = JSON.parse(document.getElementById('faultline-results').textContent);
const el = document.getElementById('chart');
if (d.points.length === 0) el.textContent = 'No run has both a failover time and a count of lost writes to plot.';
else {
  const colour = d.colours;
  const series = [{ label: 'failover (s)', value: (u, v) => v == null ? '-' : v.toFixed(2) + ' s' }];
  const data = [d.points.map((p) => p.x / 1000)];
  for (const v of ['pass', 'fail', 'unknown']) {
    series.push({ label: v, stroke: colour[v], fill: colour[v], paths: () => null, points: { show: true, size: 11, stroke: colour[v], fill: colour[v] } });
    data.push(d.points.map((p) => p.verdict === v ? p.y : null));
  }
  window.faultlineChart = new uPlot({ width: 720, height: 360, title: 'Failover time against acknowledged writes lost', scales: { x: { time: false } },
    axes: [{ label: 'failover time (s, fault to promotion)' }, { label: 'acknowledged writes lost' }], series }, data, el);
}
document.body.dataset.rendered = 'true';
} catch (e) { document.body.dataset.rendered = 'error'; throw e; }`;

export function renderResultsHtml(rows: ResultRow[], title: string): string {
  const points = chartPoints(rows);
  const body = rows.map((r) => `<tr data-run="${esc(r.runId)}"><td>${esc(r.experiment)}</td><td>${esc(paramText(r) || '-')}</td><td class="num">${esc(ms(r.failoverMs))}</td><td class="num">${esc(formatMs(Math.round(r.unavailableMs)))}</td><td class="num">${esc(lost(r))}</td><td class="num">${esc(split(r))}</td><td>${badge(r.verdict)}</td><td>${esc(r.reasons.join('; ') || '-')}</td><td>${esc(r.runDir)}</td></tr>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${inlineable(asset('uplot/dist/uPlot.min.css'), 'style', 'uPlot CSS')}${CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="dim">${rows.length} run(s). Failover: the slowest store's promotion, ms from the fault that caused it. Unavailable: time in which no client's write succeeded. Lost: acknowledged writes missing from the final primaries.</p>
<div id="chart"></div>
<table id="results"><thead><tr><th>experiment</th><th>params</th><th>failover</th><th>unavailable</th><th>lost acked</th><th>split brain</th><th>verdict</th><th>why</th><th>run</th></tr></thead><tbody>${body.join('')}</tbody></table>
<script type="application/json" id="faultline-results">${jsonForScript({ points, colours: VERDICT_COLOURS })}</script>
<script>${inlineable(asset('uplot/dist/uPlot.iife.min.js'), 'script', 'uPlot')}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
