// Judging a run from its journal: stream the lines into a history, (for a run just recorded) read
// the ledger from the final primaries and journal it, mark the recording complete, run every
// check, apply the run-verdict rules and write the reports. The live run and `faultline judge` both
// call this, on the same lines, so they agree to the byte. It runs in a worker (judge-run.ts) whose
// young generation is kept small: a million operations are judged in bounded memory.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import type { VariantsRecord } from '../core/run-result.ts';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Judgement, RunVerdict } from '../core/verdict.ts';
import { JudgingSchema, SloSchema } from '../config/slo.ts';
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import type { StoreInfo } from '../history/model.ts';
import { readBuilder } from '../history/read-parallel.ts';
import { judge, storesOf } from '../checks/judge.ts';
import { runVerdict } from '../checks/run-verdict.ts';
import { writeReports } from '../report/write.ts';
import { askReadBack } from './read-back-port.ts';

export interface JudgeJournalInput {
  runDir: string;
  /** A run just recorded: read its ledger first and end its recording. Times are on the run's clock. */
  finish?: { target: Target; workload: Workload | null; originEpochMs: number };
  /** Set by judgeRun: where the run's open client answers readBack requests. */
  readBackPort?: MessagePort;
}

export interface JudgedRun {
  /** variants: what the run's variants came to, as its journal says (null: none asked for). */
  header: { experiment: string; runId: string; complete: boolean; variants: VariantsRecord | null };
  judgement: Judgement;
  run: RunVerdict;
  reports: { junit?: string; html?: string };
  ledgerError?: string;
  /** The reports could not be written: the verdict stands, and says so. */
  reportsError?: string;
}

export async function judgeJournal(i: JudgeJournalInput): Promise<JudgedRun> {
  const path = join(i.runDir, 'journal.jsonl');
  const { builder: b } = await readBuilder(path);
  let ledgerError: string | undefined;
  if (i.finish) {
    // The run's monotonic clock, from this thread: ms since the run started.
    const now = () => Math.round((performance.timeOrigin + performance.now() - i.finish!.originEpochMs) * 10) / 10;
    const add = (type: string, data: Record<string, unknown>) => {
      const e = { t: now(), type, ...data };
      appendFileSync(path, `${JSON.stringify(e)}\n`);
      b.add(JSON.parse(JSON.stringify(e)));
    };
    if (i.finish.workload) {
      // Database clients load only where a ledger is read, not for every re-judge.
      const { ledgerLines, readLedger } = await import('../workload/ledger.ts');
      const readBack = i.readBackPort ? askReadBack(i.readBackPort) : undefined;
      const stores = await readLedger(i.finish.target, b.peekOps(), i.finish.workload, readBack).catch((e: Error) => void (ledgerError = e.message));
      if (stores) for (const l of ledgerLines(stores)) add(l.type, l.data);
    }
    add('run-complete', {});
  }
  const h = b.finish();
  if (!h.runId) throw new FaultlineError(ErrorCodes.BAD_INPUT, `${i.runDir} has no journal with a run-start line`, 'pass a run directory, e.g. .faultline/runs/latest');
  const slos = SloSchema.safeParse(h.slos ?? {});
  const judging = JudgingSchema.safeParse(h.judging ?? {});
  if (!slos.success || !judging.success) throw new FaultlineError(ErrorCodes.BAD_INPUT, `the SLOs journaled in ${i.runDir} are not valid any more`, 'judge it with the faultline version that ran it');
  // Older journals did not record the stores: the target file they name does.
  const stores: Record<string, StoreInfo> = h.stores ?? (h.targetPath ? storesOf((await import('../config/target.ts')).loadTarget(h.targetPath)) : {});
  const judgement = judge(h, { slos: slos.data, stores, judging: judging.data });
  const run = runVerdict(h, judgement);
  // A report that cannot be rendered must not cost the verdict: the journal and result.json remain.
  let reports: JudgedRun['reports'] = {};
  let reportsError: string | undefined;
  try {
    reports = writeReports(i.runDir, h, judgement, run);
  } catch (e) {
    reportsError = (e as Error).message;
  }
  return { header: { experiment: h.experiment, runId: h.runId, complete: h.complete, variants: h.run.variants }, judgement, run, reports, ...(ledgerError ? { ledgerError } : {}), ...(reportsError ? { reportsError } : {}) };
}
