// Judge a recorded run again from its directory alone: the journal holds the history, the SLOs,
// the judging settings and the stores it ran against. The same function as the live run's
// (judge-journal.ts, in a worker), over the same lines, so the same journal gives the same verdict
// and the same figures; a fixed or stricter check can be applied to old runs.
import { judgeRun, type JudgedRun } from './judge-run.ts';

export type Rejudged = JudgedRun;

export function rejudge(runDir: string): Promise<Rejudged> {
  return judgeRun({ runDir });
}
