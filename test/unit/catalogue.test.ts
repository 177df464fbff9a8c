// The catalogue stays runnable: every experiment in experiments/ loads and validates against the
// reference mesh, and names itself after its file.
import { basename, join } from 'node:path';
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
