// The run directory's reports: junit.xml for CI and report.html for people, next to journal.jsonl;
// and many runs' (a sweep's, a merge's): results.html, junit.xml and results.json in one directory.
// Each is written under a temporary name and renamed, so a viewer or a CI upload never picks up a
// half-written file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Judgement, RunVerdict } from '../core/verdict.ts';
import type { History } from '../history/model.ts';
import { renderHtml } from './html.ts';
import { renderJUnit } from './junit.ts';
import { mergeJUnit, mergeRows, type FoundRun, type ResultRow } from './merge.ts';
import { renderResultsHtml } from './results.ts';

function writeAtomically(path: string, text: string): string {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return path;
}

export function writeReports(runDir: string, h: History, j: Judgement, run: RunVerdict): { junit: string; html: string } {
  return {
    junit: writeAtomically(join(runDir, 'junit.xml'), renderJUnit(h, j, { cleanup: run.cleanup, run })),
    html: writeAtomically(join(runDir, 'report.html'), renderHtml(h, j, run)),
  };
}

/** Many runs' table as rows (results.json), one JUnit file and the chart page, in `dir`. */
export function writeResults(dir: string, runs: FoundRun[], title: string): { rows: ResultRow[]; files: { html: string; junit: string; json: string } } {
  const rows = mergeRows(runs);
  mkdirSync(dir, { recursive: true });
  return {
    rows,
    files: {
      json: writeAtomically(join(dir, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`),
      junit: writeAtomically(join(dir, 'junit.xml'), mergeJUnit(runs)),
      html: writeAtomically(join(dir, 'results.html'), renderResultsHtml(rows, title)),
    },
  };
}
