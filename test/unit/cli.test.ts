// The CLI maps outcomes to the documented exit codes and prints coded errors.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCodes } from '../../src/cli/exit-codes.ts';

const cli = join(import.meta.dirname, '../../src/cli/main.ts');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('faultline CLI', () => {
  it('rejects a malformed target with FL_BAD_TARGET, its paths, and exit code 4', () => {
    const file = join(tmpdir(), `faultline-bad-target-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ project: 'Bad Name', zones: {}, links: [] }));
    const r = run('--target', file, 'status');
    rmSync(file, { force: true });
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toContain('FL_BAD_TARGET');
    expect(r.stderr).toMatch(/project: /);
    expect(r.stderr).toMatch(/toxiproxy: /);
  });

  it('lists its commands', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const c of ['up', 'down', 'status']) expect(r.stdout).toContain(c);
  });
});

describe('faultline variant list, up --variant without Docker', () => {
  it('lists every registry variant with what it sets and its --param keys', async () => {
    const { variantRegistry } = await import('../../src/variants/registry.ts');
    const r = run('variant', 'list');
    expect(r.status).toBe(0);
    for (const k of variantRegistry.values()) {
      expect(r.stdout).toContain(k.name.slice(0, 20));
      for (const p of k.params) expect(r.stdout).toContain(p.key);
    }
    expect(r.stdout).toContain('patroni: synchronous_mode=false');
  });

  it('up refuses unknown variants and params before anything is touched: exit code 4, naming the known ones', () => {
    // A port no engine listens on: had up touched Docker it would fail otherwise (exit 5).
    const r = spawnSync(process.execPath, [cli, 'up', '--variant', 'async-replicaton', '--param', 'sentinel.down-after=3'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DOCKER_HOST: 'tcp://127.0.0.1:1' } });
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toContain('FL_BAD_INPUT');
    expect(r.stderr).toMatch(/--variant\[0\]\.name: unknown variant "async-replicaton".*known variants: sync-replication, async-replication/);
    expect(r.stderr).toMatch(/--param sentinel\.down-after=3: unknown param "sentinel\.down-after".*sentinel\.down-after-milliseconds/);
  });
});

describe('faultline run / validate / list without Docker', () => {
  const fx = (f: string) => join(import.meta.dirname, '../fixtures/experiments', f);

  it('validate: every problem of every file at once, coded, exit code 4', () => {
    const broken = join(tmpdir(), `faultline-broken-${process.pid}.ts`);
    writeFileSync(broken, 'export default defineExperiment({ name: "broken", timeline: [\n');
    const r = run('validate', fx('many-mistakes.ts'), fx('no-export.ts'), broken);
    rmSync(broken, { force: true });
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toContain('FL_BAD_EXPERIMENT');
    for (const p of [
      /many-mistakes\.ts: timeline\[4\]\.wait: "5 sec" is not a duration/,
      /many-mistakes: steadyState\.probes\[0\]\.sql\.node: "pg-z" is not a node/,
      /many-mistakes: timeline\[2\]: contradicts timeline\[1\]/,
      /many-mistakes: timeline\[0\]\.fault: no link app-a -> pg-b/,
      /timeline\[3\]\.fault\.kind: unknown fault kind "meteor"/,
      /no-export\.ts: exports no experiment/,
      /faultline-broken-\d+\.ts: cannot load/,
    ]) expect(r.stderr).toMatch(p);
  });

  it('validate: what only the target knows — missing links, unknown nodes, contradictory faults', () => {
    const file = join(tmpdir(), `faultline-exp-${process.pid}.ts`);
    // Outside the project, so it imports the entry point by path.
    writeFileSync(file, `import { defineExperiment } from '${join(import.meta.dirname, '../../src/index.ts')}';
export default defineExperiment(${JSON.stringify({
      name: 'target-mistakes', description: 'x',
      steadyState: { probes: [{ name: 'pg', sql: { node: 'pg-z', database: 'app', user: 'app', query: 'select 1' } }] },
      timeline: [
        { fault: { kind: 'latency', link: { from: 'app-a', to: 'pg-b' }, latencyMs: 100 }, for: '5s' },
        { fault: { kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 100 } },
        { fault: { kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 300 }, for: '2s' },
      ],
    })});\n`);
    const r = run('validate', file);
    rmSync(file, { force: true });
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toMatch(/3 problems/);
    expect(r.stderr).toMatch(/steadyState\.probes\[0\]\.sql\.node: "pg-z" is not a node/);
    expect(r.stderr).toMatch(/timeline\[2\]: contradicts timeline\[1\]/);
  });

  it('run --dry-run prints the resolved timeline, the same for the same seed, and touches nothing', () => {
    const a = run('run', '--dry-run', '--seed', '5', fx('ok-dry.ts'));
    const b = run('run', '--dry-run', '--seed', '5', fx('ok-dry.ts'));
    const c = run('run', '--dry-run', '--seed', '6', fx('ok-dry.ts'));
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/ok-dry on faultline \(seed 5/);
    expect(a.stdout).toMatch(/\+0 ms\s+inject f1 kill/);
    expect(a.stdout).toMatch(/\+10 s\s+heal\s+f1/);
    expect(a.stdout.match(/inject f\d/g)).toHaveLength(4);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('run against a target that is not up: a coded error naming `faultline up`, exit code 5', () => {
    const r = spawnSync(process.execPath, [cli, 'run', fx('ok-dry.ts')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FAULTLINE_BIND: '127.0.0.9' } });
    expect(r.status).toBe(ExitCodes.ENVIRONMENT);
    expect(r.stderr).toMatch(/FL_TOXIPROXY_UNREACHABLE[\s\S]*faultline up/);
  });

  it('run refuses a bad seed before anything else', () => {
    const r = run('run', '--seed', 'many', fx('ok-dry.ts'));
    expect(r.status).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toMatch(/--seed many is not a whole number/);
  });

  it('list shows the catalogue and the fault kinds', () => {
    const r = run('list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/redis-master-kill/);
    expect(r.stdout).toMatch(/fault kinds: .*partition|fault kinds: .*zones/);
  });
});
