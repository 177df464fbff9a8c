// Experiment files are TypeScript modules exporting defineExperiment(...) results (default or
// named). Loading checks every file and reports every problem of every file at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorDetail } from '../core/errors.ts';
import { fromSources } from '../core/package.ts';
import { isDefinedExperiment, type Experiment } from '../config/experiment.ts';
import { checkExperiment } from './check-experiment.ts';
import { refusal } from './refusal.ts';

const EXT = /\.(ts|mts|js|mjs)$/;

// Run from a checkout (this file is TypeScript), an experiment's `import ... from 'faultline'`
// must mean these sources, not a dist/ that may be stale or absent: the package's exports name
// the sources under the "faultline-source" condition only (tsconfig and vitest set it too).
let sourceCondition = false;
function resolveFaultlineToSources(): void {
  if (sourceCondition || !fromSources()) return;
  sourceCondition = true;
  registerHooks({
    resolve: (spec, ctx, next) => next(spec, spec === 'faultline' || spec.startsWith('faultline/') ? { ...ctx, conditions: [...ctx.conditions, 'faultline-source'] } : ctx),
  });
}

/** A directory's experiment files, then its subdirectories' (a catalogue groups them, e.g.
 *  experiments/postmortems/); dot directories and node_modules are not experiments. */
function filesUnder(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const files = entries.filter((e) => e.isFile() && EXT.test(e.name) && !e.name.endsWith('.d.ts')).map((e) => join(dir, e.name));
  const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules');
  return [...files, ...dirs.flatMap((d) => filesUnder(join(dir, d.name)))];
}

/** Files and directories (searched, with their subdirectories, for experiment files). */
export function expandPaths(paths: string[]): string[] {
  return paths.flatMap((p) => {
    const abs = resolve(p);
    return existsSync(abs) && statSync(abs).isDirectory() ? filesUnder(abs) : [abs];
  });
}

export async function loadExperiments(paths: string[]): Promise<{ experiments: Experiment[]; problems: ErrorDetail[] }> {
  const experiments: Experiment[] = [];
  const problems: ErrorDetail[] = [];
  resolveFaultlineToSources();
  for (const p of paths) {
    // A directory with nothing to run is a mistake in the command, not an empty success.
    if (expandPaths([p]).length === 0) problems.push({ path: relative(process.cwd(), resolve(p)) || p, message: 'no experiment files in this directory', fix: 'name experiment files (.ts, .js) or a directory holding them' });
  }
  for (const file of expandPaths(paths)) {
    const rel = relative(process.cwd(), file) || file;
    if (!existsSync(file)) {
      problems.push({ path: rel, message: 'no such file', fix: 'check the path (experiments live in experiments/)' });
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (e) {
      problems.push({ path: rel, message: `cannot load: ${(e as Error).message.split('\n')[0]}`, fix: 'fix the module so that `node` can import it' });
      continue;
    }
    const found = Object.entries(mod).filter(([, v]) => isDefinedExperiment(v));
    if (!found.length) problems.push({ path: rel, message: 'exports no experiment', fix: 'export default defineExperiment({ ... }) (import it from "faultline")' });
    for (const [name, def] of found) {
      const { value, partial, problems: ps } = checkExperiment(def, file);
      const at = found.length > 1 ? `${rel}#${name}` : rel;
      problems.push(...ps.map((p) => ({ ...p, path: `${at}: ${p.path ?? ''}` })));
      // A partial one is still validated against its target, so every problem shows at once;
      // any problem stops every run.
      if (value ?? partial) experiments.push({ ...(value ?? partial)!, ...(value ? {} : { incomplete: true }) });
    }
  }
  const seen = new Map<string, string>();
  for (const e of experiments.filter((x) => !x.incomplete)) {
    if (seen.has(e.name)) problems.push({ path: relative(process.cwd(), e.file ?? ''), message: `experiment name "${e.name}" is also used by ${seen.get(e.name)}`, fix: 'give each experiment its own name' });
    seen.set(e.name, relative(process.cwd(), e.file ?? ''));
  }
  return { experiments, problems };
}

export function throwIfProblems(problems: ErrorDetail[], what: string): void {
  if (problems.length) throw refusal(problems, what);
}
