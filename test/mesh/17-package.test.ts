// The installed package against the mesh it started (test/mesh/global-setup.ts): its CLI runs a
// real experiment of the user's, judged and reported from compiled JavaScript (the judging worker
// thread, the HTML report's client script), and the user's vitest suite runs one with runForTest
// and judges it with the matchers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/index.ts';
import { faultline, installedPackage, sh, userEnv, type Installed } from '../package/installed.ts';
import { EXPERIMENT, writeFiles } from '../package/user-files.ts';
import { TEST_ENV } from './env.ts';

const USER_TEST = `import { expect, it } from 'vitest';
import { faultlineMatchers, runForTest } from 'faultline';

expect.extend(faultlineMatchers);

it('a slow app link loses no acknowledged write', async () => {
  const result = await runForTest({
    name: 'vitest-link-latency',
    description: 'latency on app-b to its HAProxy while writing',
    steadyState: { probes: [{ name: 'app-b ready', http: { node: 'app-b', port: 'http', path: '/readyz' }, phases: ['before', 'after'] }] },
    workload: { rate: 10, warmup: '1s', cooldown: '1s' },
    timeline: [{ fault: { kind: 'latency', link: { from: 'app-b', to: 'haproxy-b' }, latencyMs: 30 }, for: '2s' }],
    slos: { maxLostAckedWrites: 0, noSplitBrain: true },
  }, { seed: 2 });
  expect(result).toMeetSlos();
  expect(result).toHaveHealed();
}, 90_000);
`;

let pkg: Installed;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  pkg = await installedPackage();
  dir = join(pkg.project, 'mesh');
  writeFiles(dir, {
    'experiments/app-link-latency.ts': EXPERIMENT,
    'test/chaos.test.ts': USER_TEST,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'] } });\n`,
  });
  env = { ...TEST_ENV, FAULTLINE_RUNS_DIR: join(dir, 'runs'), FAULTLINE_LOCK_DIR: join(dir, 'locks') };
});

describe('the installed package on the mesh it started', () => {
  it('sees every node healthy through the reference target it ships', async () => {
    const r = await faultline(pkg, ['status', '--json'], { env, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { project: string; up: boolean; nodes: unknown[] };
    expect(s.project).toBe(TEST_ENV.FAULTLINE_PROJECT);
    expect(s.up).toBe(true);
    expect(s.nodes.length).toBeGreaterThan(10);
  });

  it('runs the user\'s experiment for real: pass, every write accounted for, reports written, and a re-judge agrees', async () => {
    const r = await faultline(pkg, ['run', '--json', '--seed', '1', 'experiments/app-link-latency.ts'], { env, cwd: dir, timeoutMs: 110_000 });
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.reasons, r.stderr).toEqual([]);
    expect(doc.verdict).toBe('pass');
    expect(r.code).toBe(0);
    expect(doc.cleanup).toBe('ok');
    expect(doc.writes.acked).toBeGreaterThan(20);
    expect(doc.writes.lost).toBe(0);
    expect(doc.slos.map((s) => `${s.name} ${s.verdict}`)).toEqual(expect.arrayContaining(['maxLostAckedWrites pass', 'noSplitBrain pass']));
    expect(doc.runDir.startsWith(join(dir, 'runs'))).toBe(true);
    const html = readFileSync(doc.reports.html!, 'utf8');
    expect(html).toContain("document.body.dataset.rendered = 'true'"); // the client script, copied into dist/ by the build
    expect(existsSync(doc.reports.junit!)).toBe(true);
    const j = await faultline(pkg, ['judge', doc.runDir, '--json'], { env, cwd: dir });
    expect(j.code, j.stderr).toBe(0);
    const again = JSON.parse(j.stdout) as { verdict: string; judgement: { writes: { acked: number; lost: number } } };
    expect(again.verdict).toBe('pass');
    expect(again.judgement.writes.acked).toBe(doc.writes.acked);
  });

  it('the user\'s vitest suite runs an experiment with runForTest and judges it with toMeetSlos', async () => {
    const r = await sh(process.execPath, [join(pkg.project, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: dir, env: userEnv({ ...env, CI: '1' }), timeoutMs: 110_000 });
    expect(r.stdout + r.stderr).toMatch(/Tests\s+1 passed/);
    expect(r.code).toBe(0);
  });
});
