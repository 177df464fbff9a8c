// `faultline sweep` on the real mesh: a Redis master kill at two values of Sentinel's
// down-after-milliseconds, one ordinary run each. Each run's journal must show the value read back
// on every Sentinel before the kill and the mesh's own value after the revert; Sentinel must take
// at least that long to call the master down, so failure detection and the failover come later at
// the larger value; the table, JUnit file and chart page are written into the sweep directory, and
// `faultline merge` of that directory prints the same table. The page, opened in headless
// chromium offline, draws one point per run, at each run's failover time and lost writes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal, type RunResult } from '../../src/index.ts';
import { exitCodeForRuns } from '../../src/cli/exit-codes.ts';
import { formatMs } from '../../src/core/duration.ts';
import { VERDICT_COLOURS } from '../../src/report/results.ts';
import { TEST_ENV } from './env.ts';
import { expectRejudgeAgrees, redisDirect } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'fl-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = { ...process.env, ...TEST_ENV, FAULTLINE_SWEEPS_DIR: join(root, 'sweeps'), FAULTLINE_LOCK_DIR: root, NO_COLOR: '1' };
const cli = resolve(import.meta.dirname, '../../src/cli/main.ts');
const fixture = resolve(import.meta.dirname, '../fixtures/experiments/sweep-redis-kill.ts');
const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';
const KEY = 'sentinel.down-after-milliseconds';
const SENTINELS = ['sentinel-a', 'sentinel-b', 'sentinel-c'];
// 14 s apart: under load the promotion alone varied by 2 s from one run to the next, and split
// votes (every Sentinel's attempt aborted, not elected) cost a round of 2 x failover-timeout, 6-7 s
// here, in either run (all measured); values 2 or 4 s apart came out in either order, and at 8 s
// apart one such round in the first run alone left it about 1 s short of the second.
const VALUES = [1000, 15000];

function faultline(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // cli-table3 colours its borders whatever NO_COLOR says when a colour is forced: compare plain text.
  return new Promise((r) => child.on('close', (code) => r({ code, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) })));
}

type Rgb = [number, number, number];
const rgb = (c: string): Rgb => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as Rgb;
interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }

describe('faultline sweep on the mesh', () => {
  it(`runs a Redis master kill at ${KEY}=${VALUES.join(',')}: each value in force in its run, detection and failover later at the larger`, async () => {
    const t0 = performance.now();
    const r = await faultline(['sweep', fixture, '--param', `${KEY}=${VALUES.join(',')}`, '--seed', '11']);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const table = r.stdout.slice(0, r.stdout.indexOf('\nsweep: '));
    console.log(`[sweep] ${secs} s, exit code ${r.code}:\n${table}\n${r.stderr.split('\n').filter((l) => l.startsWith('point ')).join('\n')}`);
    const sweeps = readdirSync(join(root, 'sweeps')).filter((n) => n !== 'latest');
    expect(sweeps, r.stderr).toHaveLength(1);
    const dir = join(root, 'sweeps', sweeps[0]!);
    expect(readdirSync(dir).filter((n) => !n.includes('sweep-redis-kill-')).sort()).toEqual(['junit.xml', 'latest', 'results.html', 'results.json', 'sweep.json']);

    const runs = readdirSync(dir).filter((n) => n !== 'latest' && existsSync(join(dir, n, 'result.json'))).map((n) => JSON.parse(readFileSync(join(dir, n, 'result.json'), 'utf8')) as RunResult);
    // One run per value, in the order given; each says which point it was.
    expect(runs.map((x) => x.sweep)).toEqual(VALUES.map((v) => ({ experiment: 'sweep-redis-kill', params: { [KEY]: String(v) } })));
    expect(r.code).toBe(exitCodeForRuns(runs));

    for (const [i, run] of runs.entries()) {
      const v = VALUES[i]!;
      const j = readJournal(join(run.runDir, 'journal.jsonl')).entries;
      const at = (type: string) => j.findIndex((e) => e.type === type);
      const applied = j[at('variant-applied')] as unknown as { variants: { name: string; params: Record<string, number> }[]; values: { sentinel: Record<string, Record<string, string>> } };
      const reverted = j[at('variant-reverted')] as unknown as { values: { sentinel: Record<string, Record<string, string>> } };
      // The sweep's value over the experiment's own variant (its failover-timeout kept), read
      // back on every Sentinel before the fault, and the mesh's own value after the revert.
      expect(applied.variants).toEqual([expect.objectContaining({ name: 'sentinel-timing', params: { 'down-after-milliseconds': v, 'failover-timeout': 3000 } })]);
      expect(applied.values.sentinel).toEqual(Object.fromEntries(SENTINELS.map((s) => [s, { 'down-after-milliseconds': String(v), 'failover-timeout': '3000' }])));
      expect(reverted.values.sentinel).toEqual(Object.fromEntries(SENTINELS.map((s) => [s, { 'down-after-milliseconds': '1000', 'failover-timeout': '5000' }])));
      expect(at('variant-applied')).toBeLessThan(at('fault-inject'));
      expect(at('fault-healed')).toBeLessThan(at('variant-reverted'));
      expect(run.cleanup.verdict).toBe('ok');

      const f = run.judgement.failover.redis!;
      const aborts = j.filter((e) => e.type === 'sentinel-event' && String((e as { channel?: string }).channel).startsWith('-failover-abort')).map((e) => `${(e as { sentinel?: string }).sentinel} ${(e as { channel?: string }).channel}`);
      console.log(`[sweep] ${KEY}=${v}: ${f.oldPrimary} -> ${f.newPrimary}; detected +${f.detectedMs} ms, promoted +${f.promotedMs} ms, clients back +${f.recoveredMs} ms; ${run.judgement.writes.acked} acked, ${run.judgement.writes.lost} lost; ${aborts.length} aborted Sentinel failover attempt(s)${aborts.length ? ` (${aborts.join(', ')})` : ''}; verdict ${run.verdict}${run.reasons.length ? ` (${run.reasons.join('; ')})` : ''}`);
      expect(f.newPrimary).not.toBeNull();
      expect(f.newPrimary).not.toBe(f.oldPrimary);
      // Sentinel holds a master down only after down-after-milliseconds of silence, counted here
      // from when the kill started (before the container died), so never sooner.
      expect(f.detectedMs!).toBeGreaterThanOrEqual(v);
      expect(f.promotedMs!).toBeGreaterThanOrEqual(f.detectedMs!);
      // A failover slower than 3 s fails the experiment's SLO: at 15000 it always is.
      if (v >= 3000) expect(run.verdict).toBe('fail');
    }
    const [low, high] = runs.map((x) => x.judgement.failover.redis!);
    expect(high!.detectedMs!).toBeGreaterThan(low!.detectedMs!);
    expect(high!.promotedMs!).toBeGreaterThan(low!.promotedMs!);
    // Every Sentinel is back at the mesh's value.
    for (const s of SENTINELS) {
      const m = await redisDirect(s, (c) => c.call('SENTINEL', 'MASTER', 'mymaster') as Promise<string[]>);
      expect(m[m.indexOf('down-after-milliseconds') + 1]).toBe('1000');
    }

    // The table names both values with each run's figures; JUnit has one suite per value.
    for (const [i, run] of runs.entries()) {
      const f = run.judgement.failover.redis!;
      expect(table).toMatch(new RegExp(`sweep-redis-kill +│ ${KEY}=${VALUES[i]} +│ ${formatMs(Math.round(f.promotedMs!))} +│.*│ ${run.judgement.writes.lost} +│ none +│ ${run.verdict.toUpperCase()}`));
    }
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(dir, 'junit.xml'), 'utf8')) as { testsuites: { testsuite: { name: string }[] } };
    expect(junit.testsuites.testsuite.map((s) => s.name)).toEqual(VALUES.map((v) => `sweep-redis-kill [${KEY}=${v}]`));
    // Judged again from their journals alone, the runs give the same figures.
    expect(await expectRejudgeAgrees(dir)).toBe(2);
    // `faultline merge` of the sweep directory: the same table.
    const merged = await faultline(['merge', dir, '--out', join(root, 'merged')]);
    expect(merged.code).toBe(r.code);
    expect(merged.stdout.slice(0, merged.stdout.indexOf('\nwritten: '))).toBe(table);

    // The chart, offline in chromium: one point per run, at its failover time and lost writes,
    // drawn in its verdict's colour.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false });
    try {
      const page = await browser.newPage();
      const url = pathToFileURL(join(dir, 'results.html')).href;
      const blocked: string[] = [], errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/*', (x) => (x.request().url() === url ? x.continue() : (blocked.push(x.request().url()), x.abort('blockedbyclient'))));
      await page.goto(url);
      await page.waitForSelector('body[data-rendered]', { timeout: 20_000 });
      expect([await page.getAttribute('body', 'data-rendered'), blocked, errors]).toEqual(['true', [], []]);
      expect(await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => (tr as unknown as { cells: { textContent: string }[] }).cells[1]!.textContent))).toEqual(VALUES.map((v) => `${KEY}=${v}`));
      // What uPlot was given: x per run (seconds), and per verdict series the lost writes at that x.
      const data = await page.evaluate(() => (globalThis as unknown as { faultlineChart: { data: (number | null)[][] } }).faultlineChart.data);
      const byX = [...runs].sort((a, b) => a.judgement.failover.redis!.promotedMs! - b.judgement.failover.redis!.promotedMs!);
      expect(data[0]).toEqual(byX.map((x) => x.judgement.failover.redis!.promotedMs! / 1000));
      const verdicts = ['pass', 'fail', 'unknown'] as const;
      verdicts.forEach((v, k) => expect(data[k + 1]).toEqual(byX.map((x) => (x.verdict === v ? x.judgement.writes.lost : null))));
      const pixels = await page.$eval('#chart canvas', (el, colours) => {
        const c = el as unknown as CanvasLike;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const n = colours.map(() => 0);
        for (let i = 0; i < d.length; i += 4) colours.forEach(([r, g, b], k) => { if (d[i + 3]! > 200 && Math.abs(d[i]! - r) < 10 && Math.abs(d[i + 1]! - g) < 10 && Math.abs(d[i + 2]! - b) < 10) n[k]!++; });
        return n;
      }, verdicts.map((v) => rgb(VERDICT_COLOURS[v])));
      // A filled point of size 11 is ~90 px at 1x: ~90 per run of that verdict, none of any other.
      verdicts.forEach((v, k) => {
        const count = runs.filter((x) => x.verdict === v).length;
        if (count) expect(pixels[k]!, `${v} pixels`).toBeGreaterThan(40 * count);
        else expect(pixels[k], `${v} pixels`).toBe(0);
      });
      await page.close();
    } finally {
      await browser.close();
    }
  }, 400_000);
});
