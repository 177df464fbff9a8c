// Worker entry for judge-run.ts: judge one run directory and post the result (or the error) back.
import { parentPort, workerData } from 'node:worker_threads';
import { isFaultlineError } from '../core/errors.ts';
import { judgeJournal, type JudgeJournalInput } from './judge-journal.ts';

try {
  parentPort!.postMessage({ ok: await judgeJournal(workerData as JudgeJournalInput) });
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({ error: isFaultlineError(e) ? { coded: e.toData() } : { message: err.message, stack: err.stack } });
}
