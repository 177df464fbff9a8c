// The sweep / merge page (report/results.ts) opened in chromium, offline: it must draw one point
// per run with both figures, in its verdict's colour, list every run in the table, and reach for
// no network. A page with nothing to plot says so instead of drawing an empty chart.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/report/merge.ts';
import { renderResultsHtml, VERDICT_COLOURS } from '../../src/report/results.ts';

const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';
type Rgb = [number, number, number];
const rgb = (c: string): Rgb => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as Rgb;
interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }

const row = (runId: string, params: string, verdict: ResultRow['verdict'], failoverMs: number | null, lost: number | null): ResultRow => ({
  experiment: 'sweep-me', params: { 'sentinel.down-after-milliseconds': params }, verdict, promotedMs: { redis: failoverMs }, failoverMs, unavailableMs: 1200,
  lostAckedWrites: lost, splitBrainMs: 0, reasons: verdict === 'pass' ? [] : ['maxLostAckedWrites: lost 7 > 0 <script>'], runId, runDir: `runs/${runId}`,
});

describe('sweep chart in chromium, offline', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run 'npm run setup' (or apt-get install chromium), or set FAULTLINE_CHROMIUM`);
    dir = mkdtempSync(join(tmpdir(), 'faultline-results-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, rows: ResultRow[]): Promise<{ page: Page; blocked: string[]; errors: string[] }> {
    const file = join(dir, name);
    writeFileSync(file, renderResultsHtml(rows, 'sweep-me over sentinel.down-after-milliseconds'));
    const page = await browser.newPage();
    const blocked: string[] = [], errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const url = pathToFileURL(file).href;
    await page.route('**/*', (r) => (r.request().url() === url ? r.continue() : (blocked.push(r.request().url()), r.abort('blockedbyclient'))));
    await page.goto(url);
    await page.waitForSelector('body[data-rendered]', { timeout: 20_000 });
    return { page, blocked, errors };
  }

  it('draws a point per run in its verdict colour and lists every run', async () => {
    const { page, blocked, errors } = await open('sweep.html', [row('r1', '2000', 'pass', 2500, 0), row('r2', '5000', 'fail', 6000, 7), row('r3', '10000', 'unknown', null, null)]);
    expect(await page.getAttribute('body', 'data-rendered')).toBe('true');
    expect([blocked, errors]).toEqual([[], []]);
    expect(await page.$$eval('#results tbody tr', (trs) => trs.length)).toBe(3);
    // The reason's markup is text, not markup.
    expect(await page.$eval('#results', (t) => (t as unknown as { textContent: string }).textContent)).toContain('<script>');
    const counts = await page.$eval('#chart canvas', (el, colours) => {
      const c = el as unknown as CanvasLike;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const n = colours.map(() => 0);
      for (let i = 0; i < d.length; i += 4) colours.forEach(([r, g, b], k) => { if (d[i + 3]! > 200 && Math.abs(d[i]! - r) < 10 && Math.abs(d[i + 1]! - g) < 10 && Math.abs(d[i + 2]! - b) < 10) n[k]!++; });
      return n;
    }, [rgb(VERDICT_COLOURS.pass), rgb(VERDICT_COLOURS.fail), rgb(VERDICT_COLOURS.unknown)]);
    // A filled point of size 11 is ~90 px at 1x: pass and fail drawn, the unknown run (no figures) not.
    expect(counts[0]).toBeGreaterThan(40);
    expect(counts[1]).toBeGreaterThan(40);
    expect(counts[2]).toBe(0);
    await page.close();
  });

  it('says so when no run can be plotted', async () => {
    const { page, errors } = await open('empty.html', [row('r9', '2000', 'unknown', null, null)]);
    expect(errors).toEqual([]);
    expect(await page.$eval('#chart', (c) => (c as unknown as { textContent: string }).textContent)).toMatch(/No run has both/);
    await page.close();
  });
});
