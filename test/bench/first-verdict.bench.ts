// Issue 9's benchmark: how long from `npm i -D faultline` in an empty project to the first verdict
// on the reference mesh, with the images cached (set-up done once on this machine). Packs this
// checkout, then, in a fresh project under /tmp, times each step a new user takes: install,
// init, setup, up, run; and takes the mesh down after. Prints each step and the total.
//   node test/bench/first-verdict.bench.ts   (env FAULTLINE_PROJECT / FAULTLINE_BIND move the mesh)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const env = {
  ...process.env,
  // The Node that runs this script (>= 22.22) first on PATH, as a user would have it.
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  FAULTLINE_PROJECT: process.env.FAULTLINE_PROJECT ?? 'faultline-bench',
  FAULTLINE_BIND: process.env.FAULTLINE_BIND ?? '127.0.0.5',
};

function step(what: string, cmd: string, args: string[], cwd: string): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && what !== 'run') throw new Error(`${what} (${cmd} ${args.join(' ')}) exited ${r.status}:\n${(r.stderr || r.stdout).slice(-2000)}`);
  console.log(`${what.padEnd(8)} ${(ms / 1000).toFixed(1).padStart(6)} s   ${cmd} ${args.join(' ')}`);
  return { ms, out: r.stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'fl-first-verdict-'));
const project = join(dir, 'project');
try {
  const packed = spawnSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, env, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tarball = join(dir, packed.stdout.trim().split('\n').at(-1)!);
  spawnSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), '{ "name": "my-service", "version": "1.0.0", "private": true }\n');
  console.log(`packed ${tarball}; empty project ${project}; mesh ${env.FAULTLINE_PROJECT} on ${env.FAULTLINE_BIND}; node ${process.version}\n`);
  const steps = [
    step('install', 'npm', ['i', '-D', tarball, 'vitest', '--prefer-offline', '--no-audit', '--no-fund'], project),
    step('init', 'npx', ['faultline', 'init'], project),
    step('setup', 'npx', ['faultline', 'setup'], project),
    step('up', 'npx', ['faultline', 'up'], project),
  ];
  const run = step('run', 'npx', ['faultline', 'run', 'faultline/experiments', '--json'], project);
  const verdict = (JSON.parse(run.out) as { verdict?: string } | { verdict?: string }[]);
  const total = [...steps, run].reduce((a, s) => a + s.ms, 0);
  console.log(`\nfrom npm i -D to the first verdict (${Array.isArray(verdict) ? verdict.map((v) => v.verdict).join(', ') : verdict.verdict}): ${(total / 1000).toFixed(1)} s, of which the run itself ${(run.ms / 1000).toFixed(1)} s`);
} finally {
  spawnSync('npx', ['faultline', 'down'], { cwd: project, env, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
