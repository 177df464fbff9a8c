// Judge a recorded run again from its directory alone: the journal holds the history, the SLOs,
// the judging settings and the stores it ran against. The same rules as the live run (runVerdict)
// over the same lines, so the same journal gives the same verdict and the same figures; a fixed or
// stricter check can be applied to old runs.
import { join } from 'node:path';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Judgement } from '../core/verdict.ts';
import { JudgingSchema, SloSchema } from '../config/slo.ts';
import { loadTarget } from '../config/target.ts';
import type { History } from '../history/model.ts';
import { readHistory } from '../history/read.ts';
import { judge, storesOf } from '../checks/judge.ts';
import { runVerdict, type RunVerdict } from '../checks/run-verdict.ts';
import { writeReports } from '../report/write.ts';

export interface Rejudged { history: History; judgement: Judgement; run: RunVerdict; reports: { junit: string; html: string } }

export function rejudge(runDir: string): Rejudged {
  const history = readHistory(join(runDir, 'journal.jsonl'));
  if (!history.runId) throw new FaultlineError(ErrorCodes.BAD_INPUT, `${runDir} has no journal with a run-start line`, 'pass a run directory, e.g. .faultline/runs/latest');
  const slos = SloSchema.safeParse(history.slos ?? {});
  const judging = JudgingSchema.safeParse(history.judging ?? {});
  if (!slos.success || !judging.success) throw new FaultlineError(ErrorCodes.BAD_INPUT, `the SLOs journaled in ${runDir} are not valid any more`, 'judge it with the faultline version that ran it');
  // Older journals did not record the stores: the target file they name does.
  const stores = history.stores ?? (history.targetPath ? storesOf(loadTarget(history.targetPath)) : {});
  const judgement = judge(history, { slos: slos.data, stores, judging: judging.data });
  const run = runVerdict(history, judgement);
  return { history, judgement, run, reports: writeReports(runDir, history, judgement, run) };
}
