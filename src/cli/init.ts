// `faultline init`: scaffold into a project an experiment, a vitest test that runs it with the
// matchers, and a GitHub Actions workflow that runs the experiments and keeps their run
// directories and JUnit reports. The files are copied from ./templates/init/ (the same paths as in
// the project); a file that is already there is never overwritten without --force, and when one
// is in the way nothing at all is written.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { packageRoot } from '../core/package.ts';

export interface ScaffoldFile { path: string; what: string }

/** What init writes, relative to the project, in the order it prints them. */
export const SCAFFOLD: readonly ScaffoldFile[] = [
  { path: 'faultline/experiments/redis-failover.mts', what: 'an experiment: SIGKILL the Redis master under load, judged against SLOs' },
  { path: 'faultline/redis-failover.test.mts', what: 'the same experiment as a vitest test, judged by toMeetSlos()' },
  { path: '.github/workflows/faultline.yml', what: 'CI: start the mesh, run the experiments, keep run directories and JUnit' },
];

const EXPERIMENTS_DIR = 'faultline/experiments';
/** Beside this file, in the checkout and in the built package alike (the build copies them). */
const TEMPLATES = fileURLToPath(new URL('./templates/init/', import.meta.url));

/** The images the mesh's compose file needs from a registry, from the one place set-up reads them. */
function baseImages(root: string): string {
  const file = join(root, 'services/setup/versions.env');
  const m = existsSync(file) ? /^BASE_IMAGES="([^"]+)"/m.exec(readFileSync(file, 'utf8')) : null;
  if (!m?.[1]) throw new FaultlineError(ErrorCodes.INTERNAL, `no BASE_IMAGES in ${file}`, 'reinstall faultline (npm install --save-dev faultline)');
  return m[1].trim();
}

export interface InitResult { dir: string; written: ScaffoldFile[]; overwritten: string[] }

export function initProject(dir: string, opts: { force?: boolean } = {}): InitResult {
  const root = packageRoot();
  const vars: Record<string, string> = { baseImages: baseImages(root) };
  const files = SCAFFOLD.map((f) => ({
    ...f,
    dest: join(dir, f.path),
    text: readFileSync(join(TEMPLATES, f.path), 'utf8').replace(/\{\{(\w+)\}\}/g, (all, k: string) => vars[k] ?? all),
  }));
  const present = files.filter((f) => existsSync(f.dest));
  const notFiles = present.filter((f) => !statSync(f.dest).isFile());
  if (notFiles.length || (present.length && !opts.force)) {
    const blocking = notFiles.length ? notFiles : present;
    throw new FaultlineError(ErrorCodes.BAD_INPUT,
      `faultline init would overwrite ${blocking.length === 1 ? blocking[0]!.path : `${blocking.length} files`}; nothing was written`,
      notFiles.length ? 'move those directories away, then run `faultline init` again' : 'move them away, or run `faultline init --force` to overwrite them',
      { details: blocking.map((f) => ({ path: f.path, message: notFiles.includes(f) ? 'is a directory' : 'already exists' })) });
  }
  for (const f of files) {
    mkdirSync(dirname(f.dest), { recursive: true });
    writeFileSync(f.dest, f.text);
  }
  return { dir, written: SCAFFOLD.slice(), overwritten: present.map((f) => f.path) };
}

/** What was written, and the commands that come next (install what the project lacks first). */
export function renderInit(r: InitResult): string {
  const width = Math.max(...r.written.map((f) => f.path.length));
  const lines = r.written.map((f) => `${r.overwritten.includes(f.path) ? 'overwrote' : 'wrote'} ${f.path.padEnd(width)}  ${f.what}`);
  const pkgFile = join(r.dir, 'package.json');
  const pkg = existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { dependencies?: object; devDependencies?: object }) : undefined;
  const missing = ['faultline', 'vitest'].filter((d) => !pkg || !(d in { ...pkg.dependencies, ...pkg.devDependencies }));
  const where = relative(process.cwd(), r.dir);
  const next: [string, string?][] = [
    ...(where ? [[`cd ${where}`] as [string]] : []),
    ...(pkg ? [] : [['npm init -y'] as [string]]),
    ...(missing.length ? [[`npm install --save-dev ${missing.join(' ')}`] as [string]] : []),
    [`npx faultline validate ${EXPERIMENTS_DIR}`, 'check the experiment; touches nothing'],
    ['npx faultline up', 'start the reference mesh'],
    [`npx faultline run ${EXPERIMENTS_DIR}`, 'run it: a verdict, and reports in .faultline/runs/latest/'],
    ['npx vitest run faultline', 'or run it as a test, judged by the matchers'],
  ];
  const cmdWidth = Math.max(...next.map(([c]) => c.length));
  return [...lines, '', 'next:', ...next.map(([c, why]) => `  ${why ? `${c.padEnd(cmdWidth)}   # ${why}` : c}`), '', 'Commit .github/workflows/faultline.yml to run the experiments on every push and pull request.'].join('\n');
}
