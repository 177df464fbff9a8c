// `npm test`: the type check, the lint, the unit and browser tests, and the mesh tests. The mesh
// tests take most of the time and mostly wait on the mesh (containers starting, failovers
// timing out), so the rest runs beside them, one command after another, instead of before them:
// CI is that much shorter on a two-core machine. The mesh's output streams as it comes; each other
// command's is printed whole when it ends, so the two never interleave line by line. Both vitest
// processes share one packed and installed package (test/package/installed.ts, with its lock).
// Exits non-zero if any command failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR_ENV } from './package/installed.ts';

const ROOT = join(import.meta.dirname, '..');
const VITEST = ['vitest', 'run', '--config', 'test/vitest.config.ts'];
const SIDE: [string, string[]][] = [
  ['typecheck', ['tsc', '-p', 'tsconfig.json']],
  ['lint', ['eslint', '--config', 'test/eslint.config.js', '--max-warnings=0', '.']],
  ['unit + browser', [...VITEST, '--project', 'unit', '--project', 'browser']],
];
const MESH: [string, string[]] = ['mesh', [...VITEST, '--project', 'mesh']];

const packageDir = mkdtempSync(join(tmpdir(), 'faultline-pkg-'));
const env = { ...process.env, [PACKAGE_DIR_ENV]: packageDir };
const running = new Set<ChildProcess>();

interface Done { name: string; code: number; ms: number }

function run([name, [cmd, ...args]]: [string, string[]], live: boolean): Promise<Done> {
  const t0 = Date.now();
  // The project's own tools, as npm scripts find them.
  const child = spawn(join(ROOT, 'node_modules/.bin', cmd!), args, { cwd: ROOT, env, stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const out: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => out.push(b));
  return new Promise((resolve) => {
    const end = (code: number) => {
      running.delete(child);
      const ms = Date.now() - t0;
      if (!live) process.stdout.write(`\n── ${name} (${Math.round(ms / 1000)} s, exit ${code}) ──\n${Buffer.concat(out).toString()}\n`);
      resolve({ name, code, ms });
    };
    child.once('error', (e) => { out.push(Buffer.from(`${e.message}\n`)); end(127); });
    child.once('close', (code, signal) => end(code ?? (signal ? 128 : 1)));
  });
}

// Ctrl-C reaches every command from the terminal itself (one process group): this process only
// waits for them to end (a second SIGINT would make vitest quit without its teardown). A signal
// sent to this process alone is passed on.
process.on('SIGINT', () => undefined);
for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    for (const c of running) c.kill(sig);
  });
}

try {
  const mesh = run(MESH, true);
  const side: Done[] = [];
  for (const step of SIDE) side.push(await run(step, false));
  const all = [...side, await mesh];
  console.log(`\nnpm test: ${all.map((d) => `${d.name} ${d.code === 0 ? 'passed' : `FAILED (exit ${d.code})`} in ${Math.round(d.ms / 1000)} s`).join('; ')}`);
  process.exitCode = all.some((d) => d.code !== 0) ? 1 : 0;
} finally {
  rmSync(packageDir, { recursive: true, force: true });
}
