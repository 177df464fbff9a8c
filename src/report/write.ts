// The run directory's reports: junit.xml for CI and report.html for people, next to journal.jsonl.
// Each is written under a temporary name and renamed, so a viewer or a CI upload never picks up a
// half-written file.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Judgement, RunVerdict } from '../core/verdict.ts';
import type { History } from '../history/model.ts';
import { renderHtml } from './html.ts';
import { renderJUnit } from './junit.ts';

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
