// The catalogue stays runnable: every experiment in experiments/ loads and validates against the
// reference mesh, and names itself after its file.
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiments, validateExperiment } from '../../src/index.ts';

describe('the experiment catalogue', () => {
  it('every experiment loads and validates against the reference mesh', async () => {
    const { experiments, problems } = await loadExperiments([join(import.meta.dirname, '../../experiments')]);
    expect(problems).toEqual([]);
    expect(experiments.length).toBeGreaterThanOrEqual(5);
    // Subdirectories are part of the catalogue: the postmortems live in experiments/postmortems/.
    expect(experiments.map((e) => e.name)).toContain('etcd-stale-leader');
    for (const e of experiments) {
      const v = await validateExperiment(e, { seed: 1, env: {} });
      expect(v.problems, e.name).toEqual([]);
      expect(basename(e.file!, '.ts')).toBe(e.name);
      expect(e.description.length).toBeGreaterThan(40);
    }
  });
});

describe("the README's catalogue table", () => {
  it('lists every entry with the verdict its file documents, and nothing else', async () => {
    const root = join(import.meta.dirname, '../..');
    const { experiments } = await loadExperiments([join(root, 'experiments')]);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| \[([a-z0-9-]+)\]\((experiments\/[^)]+)\) \| \*\*(pass|fail|unknown)\*\* \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    const expected = experiments.map((e) => `${e.name} ${relative(root, e.file!)} ${e.documented?.verdict ?? '(none documented)'}`);
    expect(rows.sort()).toEqual(expected.sort());
  });
});
