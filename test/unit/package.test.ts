// faultline as a user gets it: the packed tarball, installed into a project outside this
// repository, run on plain Node (no checkout, no type stripping under node_modules), type-checked
// by the user's own strict tsc, and used from the user's own vitest suite.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/core/errors.ts';
import { faultKindNames } from '../../src/index.ts';
import { SCAFFOLD } from '../../src/cli/init.ts';
import { ExitCodes } from '../../src/cli/exit-codes.ts';
import { REPO, faultline, installedPackage, sh, userEnv, type Installed } from '../package/installed.ts';
import { EXPERIMENT, WRONG_EXPERIMENT, tsconfig, writeFiles } from '../package/user-files.ts';

const repoPkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

/** The user's vitest suite: the matchers on results, and a coded error failing a test. */
const USER_TEST = `import { expect, it } from 'vitest';
import { ErrorCodes, FaultlineError, faultlineMatchers, type RunResult } from 'faultline';

expect.extend(faultlineMatchers);

const result = (verdict: RunResult['verdict'], cleanup: 'ok' | 'failed'): RunResult => ({
  experiment: 'demo', verdict, reasons: verdict === 'pass' ? [] : ['an SLO failed'],
  cleanup: { verdict: cleanup, leftoversRemaining: cleanup === 'ok' ? [] : ['toxic fl-1-f1 on app-a--haproxy-a'] },
  judgement: { slos: [{ name: 'maxLostAckedWrites', verdict: verdict === 'pass' ? 'pass' : 'fail', observed: '3', limit: '0', evidence: 'the ledger' }] },
  reports: { journal: 'journal.jsonl' },
} as unknown as RunResult);

it('judges results with the matchers', () => {
  expect(result('pass', 'ok')).toMeetSlos();
  expect(result('fail', 'ok')).not.toMeetSlos();
  expect(result('pass', 'failed')).not.toHaveHealed();
  expect(() => expect(result('fail', 'ok')).toMeetSlos()).toThrow(/maxLostAckedWrites: observed 3, limit 0 \\(the ledger\\)/);
});

it('fails with a coded error', () => {
  throw new FaultlineError(ErrorCodes.BAD_TARGET, 'target mesh.json is not valid (1 problem)', 'correct each field listed above', { details: [{ path: 'nodes.pg-a.zone', message: 'zone "q" is not declared' }] });
});
`;

let pkg: Installed;
beforeAll(async () => {
  pkg = await installedPackage();
  console.log(`[package] npm pack ${(pkg.packMs / 1000).toFixed(1)} s, npm install ${(pkg.installMs / 1000).toFixed(1)} s`);
  writeFiles(join(pkg.project, 'unit'), {
    'experiments/app-link-latency.ts': EXPERIMENT,
    'experiments-wrong/wrong.ts': WRONG_EXPERIMENT,
    'test/user.test.ts': USER_TEST,
    'tsconfig.json': tsconfig(['experiments', 'test']),
    'tsconfig.wrong.json': tsconfig(['experiments-wrong']),
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'] } });\n`,
    // Makes this Node look older than the floor, before the command's first line runs.
    'old-node.mjs': `Object.defineProperty(process.versions, 'node', { value: '20.11.1' });\n`,
  });
}, 300_000);

const inUnit = () => join(pkg.project, 'unit');

describe('the packed package', () => {
  it('holds the compiled JavaScript, its declarations, the mesh and a licence; no sources, tests or CI scripts', async () => {
    const r = await sh('tar', ['-tzf', pkg.tarball], { cwd: pkg.project });
    const files = r.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'LICENSE', 'README.md', 'src/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js',
      'dist/runner/judge-worker.js', 'dist/report/html-client.js', 'docker-compose.yml', 'services/mesh.json', 'services/setup/setup.sh',
      'services/app/Dockerfile', 'services/app/package-lock.json', 'services/toxiproxy/toxiproxy.json',
      // Patroni's wheels are downloaded by `faultline setup` into the package's own copy, never shipped.
      'services/postgres/patroni-requirements.txt', 'services/postgres/wheels/README.md', 'services/setup/wheels.sh',
      ...SCAFFOLD.map((s) => `dist/cli/templates/init/${s.path}`)]) expect(files, f).toContain(f);
    // src/cli/bin.js is the command (plain JS: the Node check); no other source ships.
    expect(files.filter((f) => (/^(src|test|experiments|\.ci|\.github)\//.test(f) && f !== 'src/cli/bin.js') || /(^|\/)(tsconfig[^/]*\.json|eslint\.config\.js|vitest\.config\.ts)$/.test(f) || f.includes('node_modules/'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/') && /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('services/postgres/wheels/') && f !== 'services/postgres/wheels/README.md')).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(pkg.root, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, Record<string, string>> };
    const entry = manifest.exports['.']!;
    for (const f of [manifest.bin.faultline!, entry.types!, entry.default!]) expect(files, f).toContain(f.replace(/^\.\//, ''));
  });

  it('`faultline --version` runs on plain Node from node_modules and prints the version', async () => {
    const r = await faultline(pkg, ['--version']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(repoPkg.version);
  });

  it('its API imports on plain Node from node_modules', async () => {
    const r = await sh(process.execPath, ['--input-type=module', '-e', "const f = await import('faultline'); console.log(f.faultKindNames().length, f.parseDuration('1.5m'), f.loadTarget().composePath)"], { cwd: pkg.project, env: userEnv() });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`${faultKindNames().length} 90000 ${join(pkg.root, 'docker-compose.yml')}`);
  });

  it('validates the user\'s experiment against the reference mesh it ships, and prints a dry run', async () => {
    const v = await faultline(pkg, ['validate', 'experiments/app-link-latency.ts'], { cwd: inUnit() });
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/ok app-link-latency: 1 fault\(s\) on faultline, timeline up to 3 s/);
    const d = await faultline(pkg, ['run', '--dry-run', '--seed', '3', 'experiments/app-link-latency.ts'], { cwd: inUnit() });
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/app-link-latency on faultline \(seed 3; timeline 3 s\)/);
    expect(d.stdout).toMatch(/\+0 ms\s+inject f1 latency/);
    expect(d.stdout).toMatch(/\+3 s\s+heal\s+f1/);
  });

  it('`faultline init` scaffolds from the templates the package ships, and its experiment validates', async () => {
    const at = join(pkg.project, 'unit', 'scaffold');
    mkdirSync(at, { recursive: true });
    const r = await faultline(pkg, ['init'], { cwd: at });
    expect(r.code, r.stderr).toBe(0);
    for (const f of SCAFFOLD) expect(existsSync(join(at, f.path)), f.path).toBe(true);
    const v = await faultline(pkg, ['validate', 'faultline/experiments'], { cwd: at });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^ok redis-failover: /m);
  });

  it('exits 4 on usage errors: an unknown command or flag, no files', async () => {
    for (const args of [['bogus'], ['--bogus', 'status'], ['run'], ['validate']]) {
      const r = await faultline(pkg, args);
      expect(r.code, args.join(' ')).toBe(ExitCodes.BAD_INPUT);
      expect(r.stderr, args.join(' ')).toMatch(/^error: (unknown command|unknown option|missing required argument)/);
    }
  });

  it('on a Node older than its floor: a coded error and exit code 5, not a stack trace', async () => {
    const r = await sh(process.execPath, ['--import', './old-node.mjs', join(pkg.project, 'node_modules/.bin/faultline'), 'validate', 'experiments'], { cwd: inUnit(), env: userEnv() });
    expect(r.code).toBe(ExitCodes.ENVIRONMENT);
    expect(r.stderr).toMatch(new RegExp(`^error ${ErrorCodes.NODE_TOO_OLD}: faultline needs Node >= ${repoPkg.engines.node.replace(/^>=/, '')}; this is Node 20\\.11\\.1`));
    expect(r.stderr).toMatch(/\n {2}fix: install Node 22\.22 or newer/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('typed for the user', () => {
  const tsc = (project: string) => sh(process.execPath, [join(pkg.project, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: inUnit(), env: userEnv() });

  it('the user\'s strict tsc (skipLibCheck) passes over an experiment and a vitest test using the matchers', async () => {
    const r = await tsc('tsconfig.json');
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a wrong fault kind and a misspelt SLO are compile errors, each at its line', async () => {
    const r = await tsc('tsconfig.wrong.json');
    expect(r.code).not.toBe(0);
    const errors = r.stdout.split('\n').filter((l) => l.includes('error TS'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^experiments-wrong\/wrong\.ts\(7,\d+\): error TS\d+: Type '"kil"' is not assignable to type .*"kill"/);
    expect(errors[1]).toMatch(/^experiments-wrong\/wrong\.ts\(10,\d+\): error TS\d+: .*'maxFailoverTim' does not exist/);
  });
});

describe('in the user\'s vitest suite', () => {
  it('the matchers judge results, and a FaultlineError shows its code, details and fix', async () => {
    const r = await sh(process.execPath, [join(pkg.project, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: inUnit(), env: userEnv({ CI: '1' }), timeoutMs: 60_000 });
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/✓ test\/user\.test\.ts > judges results with the matchers|✓ judges results with the matchers/);
    expect(out).toMatch(/Tests\s+1 failed \| 1 passed/);
    expect(r.code).toBe(1);
    expect(out).toMatch(/FaultlineError: FL_BAD_TARGET: target mesh\.json is not valid \(1 problem\)\n\s+- nodes\.pg-a\.zone: zone "q" is not declared\n\s+fix: correct each field listed above/);
  });
});

describe('the reference mesh from the package', () => {
  // Stand-ins for docker and npm that log each call: what set-up would do to this machine, seen
  // without doing it. `compose config` (no engine needed) is the real one.
  const shims = (images: 'present' | 'mesh-missing') => {
    const dir = join(pkg.project, `shims-${images}`);
    const log = join(dir, 'calls.log');
    mkdirSync(dir, { recursive: true });
    const realDocker = ['/usr/local/bin/docker', '/usr/bin/docker'].find((d) => existsSync(d)) ?? 'docker';
    writeFileSync(join(dir, 'docker'), `#!/bin/bash
echo "docker $* (in $PWD)" >> ${JSON.stringify(log)}
for a in "$@"; do [ "$a" = config ] && exec ${realDocker} "$@"; done
case "$1 $2" in
  "compose version") echo "Docker Compose version v2.40.3"; exit 0 ;;
  "image inspect") ${images === 'mesh-missing' ? 'case "$*" in *faultline/*) exit 1 ;; esac' : ':'}; echo sha256:0; exit 0 ;;
esac
case "$1" in version) echo 20.10.24 ;; esac
exit 0
`);
    writeFileSync(join(dir, 'npm'), `#!/bin/bash\necho "npm $* (in $PWD)" >> ${JSON.stringify(log)}\n`);
    writeFileSync(join(dir, 'python3'), `#!/bin/bash\necho "python3 $* (in $PWD)" >> ${JSON.stringify(log)}\n`);
    for (const f of ['docker', 'npm', 'python3']) chmodSync(join(dir, f), 0o755);
    return { env: { PATH: `${dir}:${userEnv().PATH}` }, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
  };

  it('`faultline setup` readies the shipped mesh from the package, and leaves the user\'s project alone', async () => {
    const s = shims('present');
    const r = await faultline(pkg, ['setup'], { env: s.env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stderr.split('\n').filter((l) => l.includes('==> ')).map((l) => stripVTControlCharacters(l).replace(/^.*==> /, ''));
    // Compose is readied beside the steps after the engine; its step is shown when it is waited for, before the build.
    expect(steps.slice(0, -1)).toEqual(['Docker engine', 'Base images', 'App dependencies (services/app)',
      'Patroni 4.1.5 wheels (PyPI, for the Postgres image)', 'Docker Compose', 'Mesh images (docker compose build)']);
    expect(steps.at(-1)).toMatch(/^Done in \d+ s\. Next: npx faultline up$/);
    const calls = s.calls();
    // The app's dependencies go into the package's own services/app; the user's project gets no npm ci.
    expect(calls.filter((c) => c.startsWith('npm '))).toEqual([`npm ci --omit=dev --no-audit --no-fund --loglevel=error (in ${join(pkg.root, 'services/app')})`]);
    expect(calls).toContain(`docker compose -f docker-compose.yml build --quiet (in ${pkg.root.replace(/\/$/, '')})`);
    // Patroni's wheels are fetched by the host's pip into the package's own build context.
    expect(calls.filter((c) => c.startsWith('python3 -m pip download') && c.includes('-d services/postgres/wheels') && c.includes('patroni==4.1.5'))).toHaveLength(1);
  });

  it('`faultline up` before set-up names the command that builds the mesh images', async () => {
    const s = shims('mesh-missing');
    const r = await faultline(pkg, ['up'], { env: { ...s.env, FAULTLINE_BIND: '127.0.0.9' } });
    expect(r.code).toBe(ExitCodes.ENVIRONMENT);
    expect(r.stderr).toMatch(/error FL_IMAGE_MISSING: image not built yet, and not buildable: faultline\/app:local\n/);
    expect(r.stderr).toContain(`its build context ${join(pkg.root, 'services/app')} has no node_modules`);
    expect(r.stderr).toMatch(/fix: run `npx faultline setup`/);
    // Its compose file is the one the package ships.
    expect(s.calls().some((c) => c.includes(`-f ${join(pkg.root, 'docker-compose.yml')} config`))).toBe(true);
  });
});
