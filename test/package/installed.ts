// The package as a user gets it: `npm pack` of this checkout, installed from the tarball into a
// project outside the repository, with the user's own TypeScript and vitest beside it. Done once
// per test run and shared by every test that needs it (unit and mesh tests, in whichever process
// asks first): the first caller takes a lock directory and installs, the others wait for its
// answer. The directory comes from test/package/global-setup.ts, which removes it at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPO = join(import.meta.dirname, '../..');
export const PACKAGE_DIR_ENV = 'FAULTLINE_TEST_PACKAGE_DIR';

export interface Installed {
  /** The user's project: package.json, node_modules/faultline and the tools below. */
  project: string;
  tarball: string;
  /** node_modules/faultline inside the project. */
  root: string;
  packMs: number;
  installMs: number;
}

export interface Ran { code: number; stdout: string; stderr: string; ms: number }

/** Run a command to its end; never rejects on a non-zero exit. */
export function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/**
 * What a user's shell has: the Node running these tests (plain, no flags) and the system tools;
 * nothing of this checkout's node_modules/.bin or of vitest's own environment.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = ['HOME', 'TMPDIR', 'USER', 'LANG', 'DOCKER_HOST', 'npm_config_cache', 'npm_config_registry', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];
  const env: NodeJS.ProcessEnv = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, NO_COLOR: '1' };
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

/** The installed `faultline` command, run by plain `node` in the user's project. */
export const faultline = (pkg: Installed, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<Ran> =>
  sh(process.execPath, [join(pkg.project, 'node_modules/.bin/faultline'), ...args], { cwd: opts.cwd ?? pkg.project, env: userEnv(opts.env), timeoutMs: opts.timeoutMs ?? 60_000 });

const versionOf = (dep: string): string => (JSON.parse(readFileSync(join(REPO, 'node_modules', dep, 'package.json'), 'utf8')) as { version: string }).version;

async function packAndInstall(dir: string): Promise<Installed> {
  const packs = join(dir, 'tarball');
  mkdirSync(packs, { recursive: true });
  // prepack builds dist/ first, as it does for a publish.
  const pack = await sh('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: REPO, timeoutMs: 120_000 });
  const tgz = readdirSync(packs).find((f) => f.endsWith('.tgz'));
  if (pack.code !== 0 || !tgz) throw new Error(`npm pack failed (exit ${pack.code}):\n${pack.stdout}\n${pack.stderr}`);
  const project = join(dir, 'sre-project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'sre-project', private: true, type: 'module' }, null, 2)}\n`);
  // The registry stays reachable (the dependencies come from it); npm's cache answers most of it.
  const tools = ['typescript', '@types/node', 'vitest'].map((d) => `${d}@${versionOf(d)}`);
  const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error', join(packs, tgz), ...tools], { cwd: project, env: userEnv(), timeoutMs: 240_000 });
  if (install.code !== 0) throw new Error(`npm install of ${tgz} failed (exit ${install.code}):\n${install.stderr}`);
  return { project, tarball: join(packs, tgz), root: join(project, 'node_modules/faultline'), packMs: pack.ms, installMs: install.ms };
}

let mine: Promise<Installed> | undefined;

/** The packed and installed package; the first call in the run does the work. */
export function installedPackage(): Promise<Installed> {
  return (mine ??= (async () => {
    let dir = process.env[PACKAGE_DIR_ENV];
    if (!dir) {
      // Not under the test config (e.g. a file run on its own): a directory of our own.
      dir = mkdtempSync(join(tmpdir(), 'faultline-pkg-'));
      process.env[PACKAGE_DIR_ENV] = dir;
      const d = dir;
      process.once('exit', () => rmSync(d, { recursive: true, force: true }));
    }
    const ready = join(dir, 'ready.json');
    const failed = join(dir, 'failed.txt');
    let lead = false;
    try {
      mkdirSync(join(dir, 'lock'));
      lead = true;
    } catch {
      // another process is installing
    }
    if (lead) {
      try {
        const pkg = await packAndInstall(dir);
        writeFileSync(ready, JSON.stringify(pkg));
        return pkg;
      } catch (e) {
        writeFileSync(failed, (e as Error).message);
        throw e;
      }
    }
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as Installed;
      if (existsSync(failed)) throw new Error(`packing or installing the package failed (in another test process): ${readFileSync(failed, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the package was not installed within 300 s (lock in ${dir})`);
  })());
}
