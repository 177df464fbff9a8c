// `faultline init` in an empty project: what it writes, what it refuses to overwrite, and whether
// what it wrote works there: the project's own tsc (strict, no faultline-specific flags) against
// faultline's types as a user installs them (declarations emitted from src/), `faultline
// validate` on the experiment, and vitest collecting the test. Nothing here touches Docker.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ExitCodes } from '../../src/cli/exit-codes.ts';
import { SCAFFOLD } from '../../src/cli/init.ts';

const repo = join(import.meta.dirname, '../..');
const cli = join(repo, 'src/cli/main.ts');
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
// Child processes get no vitest state of ours, and no colours.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
const node = (cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1', ...extra }, timeout: 120_000 });
const output = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n${r.stdout}\n${r.stderr}`;

describe('faultline init', () => {
  let project: string;
  beforeAll(() => { project = mkdtempSync(join(tmpdir(), 'faultline-init-')); });
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const at = (p: string) => join(project, p);

  it('scaffolds an empty project: an experiment, a test, a workflow; prints each and the next commands', () => {
    const r = node(project, [cli, 'init']);
    expect(r.status, output(r)).toBe(ExitCodes.OK);
    for (const f of SCAFFOLD) {
      expect(existsSync(at(f.path)), f.path).toBe(true);
      expect(r.stdout).toContain(`wrote ${f.path}`);
    }
    // No package.json yet: it says to make one and to install faultline and vitest, then what to run.
    for (const cmd of ['npm init -y', 'npm install --save-dev faultline vitest', 'npx faultline validate faultline/experiments', 'npx faultline up', 'npx faultline run faultline/experiments', 'npx vitest run faultline']) {
      expect(r.stdout).toContain(cmd);
    }
    expect(readFileSync(at(SCAFFOLD[1]!.path), 'utf8')).toMatch(/toMeetSlos\(\)/);
  });

  it('refuses to overwrite: a coded error naming each file and --force, exit code 4, nothing written', () => {
    const experiment = at(SCAFFOLD[0]!.path);
    writeFileSync(experiment, `${readFileSync(experiment, 'utf8')}// my edits\n`);
    rmSync(at(SCAFFOLD[2]!.path));
    const r = node(project, [cli, 'init']);
    expect(r.status, output(r)).toBe(ExitCodes.BAD_INPUT);
    expect(r.stderr).toContain('FL_BAD_INPUT');
    expect(r.stderr).toContain(`${SCAFFOLD[0]!.path}: already exists`);
    expect(r.stderr).toContain(`${SCAFFOLD[1]!.path}: already exists`);
    expect(r.stderr).toContain('faultline init --force');
    expect(readFileSync(experiment, 'utf8')).toContain('// my edits');
    expect(existsSync(at(SCAFFOLD[2]!.path)), 'the missing workflow was not written either').toBe(false);
  });

  it('--force overwrites, and says so', () => {
    const r = node(project, [cli, 'init', '--force']);
    expect(r.status, output(r)).toBe(ExitCodes.OK);
    expect(r.stdout).toContain(`overwrote ${SCAFFOLD[0]!.path}`);
    expect(r.stdout).toContain(`wrote ${SCAFFOLD[2]!.path}`);
    expect(readFileSync(at(SCAFFOLD[0]!.path), 'utf8')).not.toContain('// my edits');
  });

  describe('in the project, with faultline installed as a user gets it', () => {
    // npm init -y (a CommonJS package), then node_modules as `npm install faultline vitest` would
    // leave it: faultline's types are declarations emitted from src/, its code is this checkout's.
    beforeAll(() => {
      writeFileSync(at('package.json'), JSON.stringify({ name: 'empty-project', version: '1.0.0', type: 'commonjs' }));
      mkdirSync(at('node_modules/faultline'), { recursive: true });
      for (const e of readdirSync(join(repo, 'node_modules'))) if (e !== '.bin') symlinkSync(join(repo, 'node_modules', e), at(`node_modules/${e}`));
      symlinkSync(join(repo, 'src'), at('node_modules/faultline/src'));
      writeFileSync(at('node_modules/faultline/package.json'), JSON.stringify({ name: 'faultline', type: 'module', exports: { '.': { types: './types/index.d.ts', default: './src/index.ts' } } }));
      writeFileSync(at('emit-types.json'), JSON.stringify({
        extends: join(repo, 'tsconfig.json'),
        compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: join(repo, 'src'), outDir: at('node_modules/faultline/types') },
        include: [],
        files: [join(repo, 'src/index.ts')],
      }));
      const r = node(project, [tsc, '-p', 'emit-types.json']);
      if (r.status !== 0) throw new Error(`faultline's declarations did not emit:\n${output(r)}`);
    }, 120_000);

    const projectTsconfigs = {
      nodenext: { target: 'es2022', module: 'nodenext' },
      bundler: { target: 'es2022', module: 'preserve', moduleResolution: 'bundler' },
    };
    for (const [name, options] of Object.entries(projectTsconfigs)) {
      it(`passes the project's own tsc --strict (${name})`, () => {
        writeFileSync(at(`tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...options, strict: true, skipLibCheck: true, types: ['node'] }, include: ['faultline'] }));
        const r = node(project, [tsc, '-p', `tsconfig.${name}.json`, '--strict', '--noEmit']);
        expect(r.status, output(r)).toBe(0);
      }, 60_000);
    }

    it('a type error in the scaffold fails that tsc (the check above can fail)', () => {
      const test = at(SCAFFOLD[1]!.path);
      const good = readFileSync(test, 'utf8');
      writeFileSync(test, good.replace('expect(result).toMeetSlos();', 'expect(result).toMeetSlos(1);'));
      const r = node(project, [tsc, '-p', 'tsconfig.nodenext.json', '--strict', '--noEmit']);
      writeFileSync(test, good);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain('redis-failover.test.mts');
    }, 60_000);

    it('its experiment validates with `faultline validate`', () => {
      const r = node(project, [cli, 'validate', dirname(SCAFFOLD[0]!.path)]);
      expect(r.status, output(r)).toBe(ExitCodes.OK);
      expect(r.stdout).toMatch(/^ok redis-failover: 1 fault\(s\) on faultline/m);
    });

    it('vitest collects its test, which runs the experiment (refused here: no mesh at that address)', () => {
      const nowhere = { FAULTLINE_BIND: '127.0.0.77', FAULTLINE_PROJECT: 'faultline-init-test', FAULTLINE_RUNS_DIR: at('runs'), FAULTLINE_LOCK_DIR: at('locks') };
      const r = node(project, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', 'faultline'], nowhere);
      expect(r.status, output(r)).toBe(1);
      expect(r.stdout + r.stderr).toContain('redis-failover.test.mts');
      expect(r.stdout + r.stderr).toContain('Toxiproxy did not answer at http://127.0.0.77:18474');
    }, 60_000);
  });

  it('the workflow sets up, starts the mesh, runs the experiments, keeps run directories and JUnit even on failure', () => {
    const wf = parse(readFileSync(at('.github/workflows/faultline.yml'), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { steps: { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[] }> };
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    const steps = Object.values(wf.jobs)[0]!.steps;
    const index = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? s.uses ?? ''));
    const order = [/actions\/checkout@/, /actions\/setup-node@/, /^npm ci$/, /docker pull/, /npx faultline up$/, /npx faultline run faultline\/experiments$/].map(index);
    expect(order.every((i) => i >= 0), JSON.stringify(order)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The images the mesh pulls are the ones set-up seeds (one place: services/setup/versions.env).
    const images = /^BASE_IMAGES="([^"]+)"/m.exec(readFileSync(join(repo, 'services/setup/versions.env'), 'utf8'))![1]!;
    expect(steps[order[3]!]!.run).toContain(`for image in ${images};`);
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.map((u) => String(u.with?.path))).toEqual([expect.stringContaining('.faultline/runs/'), expect.stringMatching(/\.faultline\/runs\/\*\/junit\.xml/)]);
    for (const u of uploads) {
      expect(u.if).toMatch(/!cancelled\(\)|always\(\)/);
      expect(u.with?.['include-hidden-files']).toBe(true);
      expect(steps.indexOf(u)).toBeGreaterThan(order[5]!);
    }
    expect(steps.at(-1)).toMatchObject({ run: 'npx faultline down', if: 'always()' });
  });
});
