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

/** With --compose: aimed at the wrapped project instead of the reference mesh. */
export const COMPOSE_SCAFFOLD: readonly ScaffoldFile[] = [
  { path: 'faultline/experiments/primary-kill.mts', what: 'an experiment: SIGKILL a store\'s primary on your project, judged from the journal' },
  { path: 'faultline/primary-kill.test.mts', what: 'the same experiment as a vitest test, judged by toMeetSlos()' },
  { path: '.github/workflows/faultline.yml', what: 'CI: build and start your project wired, run the experiments, keep run directories and JUnit' },
];

const EXPERIMENTS_DIR = 'faultline/experiments';
/** Beside this file, in the checkout and in the built package alike (the build copies them). */
const TEMPLATES = fileURLToPath(new URL('./templates/init/', import.meta.url));
const COMPOSE_TEMPLATES = fileURLToPath(new URL('./templates/init-compose/', import.meta.url));

/** What `faultline init --compose` hands init: wrap's files (checked, not yet written) and how to name them in the scaffold. */
export interface Wrapped { files: { path: string; what: string; text: string }[]; target: string; composeFile: string; stores: { name: string }[]; wrapArgs: string }

/** The images the mesh's compose file needs from a registry, from the one place set-up reads them. */
function baseImages(root: string): string {
  const file = join(root, 'services/setup/versions.env');
  const m = existsSync(file) ? /^BASE_IMAGES="([^"]+)"/m.exec(readFileSync(file, 'utf8')) : null;
  if (!m?.[1]) throw new FaultlineError(ErrorCodes.INTERNAL, `no BASE_IMAGES in ${file}`, 'reinstall faultline (npm install --save-dev faultline)');
  return m[1].trim();
}

export interface InitResult { dir: string; written: ScaffoldFile[]; overwritten: string[]; /** How to start what the experiment targets. */ up: [string, string] }

export function initProject(dir: string, opts: { force?: boolean; wrapped?: Wrapped } = {}): InitResult {
  const root = packageRoot();
  const w = opts.wrapped;
  const store = w?.stores[0]?.name;
  if (w && !store) throw new FaultlineError(ErrorCodes.BAD_INPUT, 'wrap found no store (no Postgres or Redis) for the experiment to fail over', 'give a service `--store <service>=<name>` (and `--kind` where needed), or run `faultline wrap` alone and write the experiment yourself');
  const vars: Record<string, string> = w
    ? { store: store!, target: relative(join(dir, EXPERIMENTS_DIR), w.target), targetFile: relative(dir, w.target), composeFile: relative(dir, w.composeFile), wrapArgs: w.wrapArgs }
    : { baseImages: baseImages(root) };
  const scaffold = w ? COMPOSE_SCAFFOLD : SCAFFOLD;
  const files = [
    ...scaffold.map((f) => ({
      ...f,
      dest: join(dir, f.path),
      text: readFileSync(join(w ? COMPOSE_TEMPLATES : TEMPLATES, f.path), 'utf8').replace(/\{\{(\w+)\}\}/g, (all, k: string) => vars[k] ?? all),
    })),
    ...(w?.files ?? []).map((f) => ({ path: relative(dir, f.path), what: f.what, dest: f.path, text: f.text })),
  ];
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
  return { dir, written: files.map(({ path, what }) => ({ path, what })), overwritten: present.map((f) => f.path), up: w ? [`npx faultline up --target ${vars.targetFile}`, 'start your project, wired'] : ['npx faultline up', 'start the reference mesh'] };
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
    r.up,
    [`npx faultline run ${EXPERIMENTS_DIR}`, 'run it: a verdict, and reports in .faultline/runs/latest/'],
    ['npx vitest run faultline', 'or run it as a test, judged by the matchers'],
  ];
  const cmdWidth = Math.max(...next.map(([c]) => c.length));
  return [...lines, '', 'next:', ...next.map(([c, why]) => `  ${why ? `${c.padEnd(cmdWidth)}   # ${why}` : c}`), '', 'Commit .github/workflows/faultline.yml to run the experiments on every push and pull request.'].join('\n');
}
