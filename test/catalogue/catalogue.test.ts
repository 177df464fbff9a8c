// `npm run catalogue`: every experiment and postmortem in experiments/ run on a fresh reference
// mesh, each checked against its documented outcome: the run's verdict, each SLO it names, and the
// reason it gives. An entry without `documented` fails here: the catalogue promises a verdict.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiments, runExperiment, type Experiment } from '../../src/index.ts';
import { TEST_ENV } from '../mesh/env.ts';
import { rejudgedRunsDir } from '../mesh/helpers.ts';

const runsDir = rejudgedRunsDir('fl-catalogue-');
const env = { ...process.env, ...TEST_ENV, FAULTLINE_RUNS_DIR: runsDir, FAULTLINE_LOCK_DIR: runsDir };
const { experiments, problems } = await loadExperiments([join(import.meta.dirname, '../../experiments')]);
const only = process.env.FAULTLINE_CATALOGUE_ONLY?.split(',');
const chosen = experiments.filter((e) => !only || only.includes(e.name));
const started = Date.now();

describe('the catalogue on the default reference mesh', () => {
  it('loads', () => {
    expect(problems).toEqual([]);
    expect(chosen.length).toBeGreaterThan(0);
  });

  it.each(chosen.map((e) => [e.name, e] as [string, Experiment]))('%s gives its documented outcome', async (_name, e) => {
    expect(e.documented, `${e.name} has no documented outcome`).toBeDefined();
    const d = e.documented!;
    const r = await runExperiment(e, { seed: 1, env, runsDir });
    const slos = Object.fromEntries(r.judgement.slos.map((s) => [s.name, s.verdict]));
    const got = { verdict: r.verdict, slos: Object.fromEntries(Object.keys(d.slos ?? {}).map((k) => [k, slos[k] ?? '(not judged)'])) };
    const context = `${e.name}: ${r.verdict} (${r.reasons.join('; ') || 'no reasons'}); run ${r.runDir}`;
    expect(got, context).toEqual({ verdict: d.verdict, slos: d.slos ?? {} });
    if (d.reason) expect(r.reasons.join('\n'), context).toContain(d.reason);
    expect(r.cleanup.verdict, context).toBe('ok');
  }, 600_000);

  // How long the catalogue took, for the closing note: a figure, not a test.
  afterAll(() => console.log(`[catalogue] ${chosen.length} experiment(s) in ${((Date.now() - started) / 1000).toFixed(0)} s`));
});
