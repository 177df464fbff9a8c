// Judge a recorded run again from its directory alone: the journal holds the history, the SLOs
// and the target it ran against. Checks are pure, so the same journal gives the same verdict;
// a fixed or stricter check can be applied to old runs.
import { join } from 'node:path';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Judgement } from '../core/verdict.ts';
import { SloSchema } from '../config/slo.ts';
import { loadTarget } from '../config/target.ts';
import { readJournal } from '../history/journal.ts';
import { buildHistory, type History } from '../history/model.ts';
import { judge, storesOf } from '../checks/judge.ts';
import { writeReports } from '../report/write.ts';

export function rejudge(runDir: string): { history: History; judgement: Judgement; reports: { junit: string; html: string } } {
  const { entries } = readJournal(join(runDir, 'journal.jsonl'));
  const start = entries.find((e) => e.type === 'run-start');
  if (!start) throw new FaultlineError(ErrorCodes.BAD_INPUT, `${runDir} has no journal with a run-start line`, 'pass a run directory, e.g. .faultline/runs/latest');
  const slos = SloSchema.safeParse(start.slos ?? {});
  if (!slos.success) throw new FaultlineError(ErrorCodes.BAD_INPUT, `the SLOs journaled in ${runDir} are not valid any more`, 'judge it with the faultline version that ran it');
  const target = loadTarget(String(start.targetPath));
  const history = buildHistory(entries);
  const judgement = judge(history, {
    slos: slos.data,
    stores: storesOf(target),
  });
  const cleanup = entries.find((e) => e.type === 'cleanup')?.verdict === 'failed' ? 'failed' : 'ok';
  return { history, judgement, reports: writeReports(runDir, history, judgement, cleanup) };
}
