// The HTML report opened in a real browser (Debian's chromium driven by playwright-core), offline:
// every request other than the file itself is blocked and recorded, so a report that reached for
// the network fails here. It must draw every chart (pixels in the series' own colours, faults
// shaded), log no error, and show the judged verdicts.
import { makeHistory } from '../fixtures/history.ts';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE, renderHtml } from '../../src/report/html.ts';
import { writeReports } from '../../src/report/write.ts';
import { NASTY_EVIDENCE, sampleHistory, sampleJudgement } from '../fixtures/report/sample.ts';

const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';

type Rgba = [number, number, number, number];
const hex = (c: string, a = 255): Rgba => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).concat(a) as Rgba;
// rgba(220, 38, 38, 0.14) on a transparent canvas reads back as that colour with alpha ~36.
const faultFill = ((m) => [+m[1]!, +m[2]!, +m[3]!, Math.round(+m[4]! * 255)] as Rgba)(/rgba\((\d+), (\d+), (\d+), ([\d.]+)\)/.exec(PALETTE.faultFill)!);

interface CanvasCount { painted: number; total: number; matches: number[] }
// The project compiles without the DOM lib; this is all of a canvas the pixel count touches.
interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }

/** Per canvas: pixels drawn at all (alpha > 0), and pixels close to each wanted colour. */
function countPixels(page: Page, selector: string, wanted: Rgba[]): Promise<CanvasCount> {
  return page.$eval(selector, (el, colours) => {
    const c = el as unknown as CanvasLike;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const matches = colours.map(() => 0);
    let painted = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! > 0) painted++;
      colours.forEach(([r, g, b, a], k) => {
        if (Math.abs(d[i]! - r) <= 12 && Math.abs(d[i + 1]! - g) <= 12 && Math.abs(d[i + 2]! - b) <= 12 && Math.abs(d[i + 3]! - a) <= 6) matches[k]!++;
      });
    }
    return { painted, total: d.length / 4, matches };
  }, wanted);
}

interface Opened { page: Page; url: string; blocked: string[]; requested: string[]; errors: string[] }

describe('HTML report in chromium, offline', () => {
  let browser: Browser;
  let dir: string;
  let report: Opened;
  const h = sampleHistory();
  // Markup in a fault description lands in the page's JSON blob and in its fault list.
  h.faults[0]!.description += ` ${NASTY_EVIDENCE}`;
  const j = sampleJudgement(h);

  /** Open a file with every other request blocked and recorded, and wait until it has drawn (or failed to). */
  async function open(file: string): Promise<Opened> {
    const o: Opened = { page: await browser.newPage(), url: pathToFileURL(file).href, blocked: [], requested: [], errors: [] };
    o.page.on('request', (r) => o.requested.push(r.url()));
    o.page.on('console', (m) => { if (m.type() === 'error') o.errors.push(`console: ${m.text()}`); });
    o.page.on('pageerror', (e) => o.errors.push(`page: ${e.message}`));
    await o.page.route('**/*', (route) => {
      if (route.request().url() === o.url) return route.continue();
      o.blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    await o.page.goto(o.url);
    await o.page.waitForSelector('body[data-rendered]', { timeout: 20_000 });
    return o;
  }

  const expectCleanOffline = async (o: Opened) => {
    expect(await o.page.getAttribute('body', 'data-rendered')).toBe('true');
    expect(o.errors).toEqual([]);
    expect(o.blocked).toEqual([]);
    expect(o.requested.filter((u) => u !== o.url)).toEqual([]);
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run 'npm run setup' (or apt-get install chromium), or set FAULTLINE_CHROMIUM`);
    dir = mkdtempSync(join(tmpdir(), 'faultline-report-'));
    const t0 = performance.now();
    // No sandbox: as root chromium refuses to start with one (the test is the only thing it opens).
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false });
    console.log(`chromium launched in ${Math.round(performance.now() - t0)} ms`);
    report = await open(writeReports(dir, h, j, { verdict: 'fail', reasons: [], cleanup: 'ok' }).html);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders with no network request and no error', async () => {
    await expectCleanOffline(report);
  });

  it('the network guard does catch a request (so the check above can fail)', async () => {
    const probe = await browser.newPage();
    const seen: string[] = [];
    await probe.route('**/*', (route) => { seen.push(route.request().url()); return route.abort('blockedbyclient'); });
    await probe.setContent('<img src="https://example.invalid/pixel.png">');
    await probe.close();
    expect(seen).toEqual(['https://example.invalid/pixel.png']);
  });

  it('draws every chart: series in their colours, faults shaded, role lanes', async () => {
    const charts = {
      throughput: [hex(PALETTE.ok), faultFill],
      errors: [hex(PALETTE.failed), hex(PALETTE.indeterminate), faultFill],
      latency: [hex(PALETTE.p50), hex(PALETTE.p99), faultFill],
      roles: [hex(PALETTE.roles.primary!), hex(PALETTE.roles.replica!), hex(PALETTE.roles.down!), faultFill],
    };
    expect(await report.page.locator('canvas').count()).toBe(4);
    for (const [name, colours] of Object.entries(charts)) {
      const c = await countPixels(report.page, `#chart-${name} canvas`, colours);
      expect(c.painted, `${name}: painted pixels`).toBeGreaterThan(c.total * 0.02);
      c.matches.forEach((n, k) => expect(n, `${name}: pixels of colour ${colours[k]!.join(',')}`).toBeGreaterThan(20));
    }
  });

  it('shows the judged verdicts, with evidence escaped and intact', async () => {
    const page = report.page;
    const rows = await page.$$eval('#slos tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-slo'), tr.querySelector('.verdict')!.textContent]));
    expect(rows).toEqual(j.slos.map((s) => [s.name, s.verdict.toUpperCase()]));
    expect(await page.textContent('h1 .v')).toBe('FAIL');
    expect(await page.textContent('tr[data-slo="noSplitBrain"] .evidence')).toBe(NASTY_EVIDENCE);
    expect(await page.textContent('ul li')).toContain(NASTY_EVIDENCE);
    expect(await page.textContent('#failover tbody tr')).toContain('pg-a → pg-b');
  });

  it('a run that ended at once (no writes, no fault, no observations) still renders cleanly', async () => {
    const empty = makeHistory({ ...sampleHistory(), ops: [], observations: [], faults: [], endT: 0, complete: false });
    const file = join(dir, 'empty.html');
    writeFileSync(file, renderHtml(empty, { ...sampleJudgement(empty), faultT: null, slos: [], failover: {}, failovers: {} }, { verdict: 'unknown', reasons: ['the journal has no end'], cleanup: 'failed' }));
    const o = await open(file);
    await expectCleanOffline(o);
    // The run's real state: this one died before recording finished; the sample run did not.
    expect(await o.page.textContent('#run-state')).toContain('incomplete run');
    expect(await o.page.textContent('#reasons')).toContain('the journal has no end');
    expect(await report.page.textContent('#run-state')).toContain('recording complete');
    expect(await o.page.textContent('#chart-roles')).toBe('No role observations were recorded.');
    expect(await o.page.locator('canvas').count()).toBe(3);
  });
});
