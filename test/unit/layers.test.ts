// The one-way layers are a lint rule (test/layers.js, wired into test/eslint.config.js): these
// tests lint small fixtures with the real config, through ESLint's Node API, and check that
// upward, sideways and entry imports are refused while downward ones pass.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../layers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: 'test/eslint.config.js' });

/** Lint `code` as if it were the file at `filePath` (an existing file, so the type-aware parser knows it). */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  const messages = r?.messages ?? [];
  const parse = messages.find((m) => m.ruleId === null);
  if (parse) throw new Error(`fixture did not parse: ${parse.message}`);
  return messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('one-way layers', () => {
  // The first lint starts the type-aware parser's project service: seconds on a small machine.
  beforeAll(() => layerErrors('src/core/duration.ts', 'export {};\n'), 120_000);

  it('refuses the upward imports the issue named: report → runner (type only), config → faults', async () => {
    const report = await layerErrors('src/report/json.ts', "import type { RunOptions } from '../runner/run.ts';\nexport type X = RunOptions;\n");
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/src\/report\/ is in layer 3 .*'\.\.\/runner\/run\.ts' is in src\/runner\//);
    const config = await layerErrors('src/config/probe.ts', "import { checkFault } from '../faults/interpreter.ts';\nexport const c = checkFault;\n");
    expect(config).toEqual([expect.stringContaining('src/config/ is in layer 2 and may import only src/core/')]);
  });

  it('refuses sideways imports within a layer, dynamic import() and export … from', async () => {
    expect(await layerErrors('src/runtime/exec.ts', "export { startObservers } from '../observe/observers.ts';\n")).toHaveLength(1);
    expect(await layerErrors('src/core/duration.ts', "export const later = () => import('../cli/render.ts');\n")).toEqual([
      expect.stringContaining('src/core/ is in layer 1 and may import nothing outside its own folder'),
    ]);
  });

  it('lets imports go down, and within a folder', async () => {
    const code = "import { writeReports } from '../report/write.ts';\nimport { parseDuration } from '../core/duration.ts';\nimport { planTimeline } from './plan.ts';\nexport const all = [writeReports, parseDuration, planTimeline];\n";
    expect(await layerErrors('src/runner/run.ts', code)).toEqual([]);
  });

  it('keeps the public entry on top: nothing in src/ imports it, and experiments import only it', async () => {
    expect(await layerErrors('src/checks/judge.ts', "import { judge } from '../index.ts';\nexport const j = judge;\n")).toEqual([
      expect.stringContaining('nothing in src/ imports the public entry'),
    ]);
    expect(await layerErrors('experiments/redis-master-kill.ts', "import { runExperiment } from '../src/runner/run.ts';\nexport const r = runExperiment;\n")).toEqual([
      expect.stringContaining("experiments import only the public entry: import { ... } from 'faultline'"),
    ]);
    expect(await layerErrors('experiments/redis-master-kill.ts', "import { defineExperiment } from 'faultline';\nexport default defineExperiment;\n")).toEqual([]);
  });

  it('refuses a file in a folder that no layer holds, so a new registry must be placed first', async () => {
    expect(await layerErrors('src/plugins/registry.js', 'export const kinds = [];\n')).toEqual([expect.stringContaining('boundaries/no-unknown-files')]);
  });

  it('places every folder of src/ in exactly one layer, and the README draws the same layers', () => {
    const layers = LAYERS;
    const folders = readdirSync(`${root}/src`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(layers.flat().sort()).toEqual(folders);
    const drawn = layers.map((l) => l.join(', ')).join(' → ');
    expect(readFileSync(`${root}/README.md`, 'utf8')).toContain(drawn);
  });
});
