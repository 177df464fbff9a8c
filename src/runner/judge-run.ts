// Run judge-journal.ts in a worker thread with a small young generation: V8 would otherwise grow
// it to tens of MB while a million journal lines stream through, and peak RSS with it. The result
// (judgement, verdict, report paths) is small and comes back by message.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FaultlineError, type FaultlineErrorData } from '../core/errors.ts';
import type { JudgedRun, JudgeJournalInput } from './judge-journal.ts';
import { serveReadBack, type ReadBack } from './read-back-port.ts';

export type { JudgedRun } from './judge-journal.ts';

// Next to this file, with its extension: .ts from a checkout, .js once compiled.
const WORKER = new URL(`./judge-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const YOUNG_GENERATION_MB = 3;

type Reply = { ok: JudgedRun } | { error: { coded?: FaultlineErrorData; message?: string; stack?: string } };

/** `readBack`: the run's open client's, for a ledger read through the client (asked from the worker). */
export function judgeRun(input: JudgeJournalInput, opts: { readBack?: ReadBack | undefined } = {}): Promise<JudgedRun> {
  return new Promise((resolve, reject) => {
    const served = opts.readBack && input.finish ? serveReadBack(opts.readBack) : undefined;
    const w = new Worker(WORKER, {
      workerData: { ...input, ...(served ? { readBackPort: served.port } : {}) }, transferList: served ? [served.port] : [],
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    let settled = false;
    w.once('exit', () => served?.close());
    w.once('message', (m: Reply) => {
      settled = true;
      if ('ok' in m) resolve(m.ok);
      else if (m.error.coded) reject(FaultlineError.fromData(m.error.coded));
      else reject(Object.assign(new Error(m.error.message), { stack: m.error.stack }));
      void w.terminate();
    });
    w.once('error', (e) => {
      if (!settled) reject(e);
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`the judging worker exited with code ${code} before answering`));
    });
  });
}
