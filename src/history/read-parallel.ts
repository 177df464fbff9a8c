// Reading a long journal on two threads: this one reads and parses every other block and builds
// the history; a worker parses the blocks between and codes their op lines as numbers
// (op-rows.ts), which this thread takes without parsing. Parsing is most of judging's cost, so
// the two overlap; blocks go in file order, so the history is the one read-line-by-line builds
// (test/unit/read-parallel.test.ts holds them equal). A short journal, or any trouble with the
// worker, is read on this thread alone.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { forEachLineIn, journalBlocks } from './blocks.ts';
import { BAD, BLANK, parseLine, type Entry } from './journal.ts';
import { HistoryBuilder } from './model.ts';
import type { OpRowBatch } from './op-rows.ts';
import { readInto } from './read.ts';

const WORKER = new URL(`./read-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
/** Below this a second thread costs more to start than it saves. */
export const PARALLEL_FROM_BYTES = 16 << 20;
const BLOCK_BYTES = 4 << 20;
/** How many blocks the worker may be ahead of this thread. */
const AHEAD = 2;

/** The run id of a journal's first line when it is a run-start: the prefix of its op ids. */
function firstRunId(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl < 0) return undefined;
    const e = parseLine(buf.toString('utf8', 0, nl));
    return typeof e === 'object' && e?.type === 'run-start' && typeof e.runId === 'string' && e.runId ? e.runId : undefined;
  } finally {
    closeSync(fd);
  }
}

type Message = { k: number; batch: OpRowBatch } | { error: string };

/** A history builder fed every line of the journal at `path`, and how many lines were not JSON. */
export async function readBuilder(path: string, o: { threads?: boolean; minBytes?: number; blockBytes?: number } = {}): Promise<{ builder: HistoryBuilder; badLines: number; threads: number }> {
  const sequential = () => {
    const builder = new HistoryBuilder();
    return { builder, badLines: readInto(path, builder).badLines, threads: 1 };
  };
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return sequential();
  }
  const prefix = size >= (o.minBytes ?? PARALLEL_FROM_BYTES) && o.threads !== false && availableParallelism() > 1 ? firstRunId(path) : undefined;
  if (prefix === undefined) return sequential();
  const blocks = journalBlocks(path, o.blockBytes ?? BLOCK_BYTES);
  if (blocks.length < 2) return sequential();

  const theirs = blocks.map((block, k) => ({ k, block })).filter(({ k }) => k % 2 === 1);
  const got = new Map<number, OpRowBatch>();
  let failed: string | undefined;
  let wake: (() => void) | undefined;
  let worker: Worker;
  const progress = new SharedArrayBuffer(4);
  const at = new Int32Array(progress);
  const reached = (k: number) => {
    Atomics.store(at, 0, k);
    Atomics.notify(at, 0);
  };
  try {
    // A small young generation, as the judging thread's: the coded rows are what it keeps.
    worker = new Worker(WORKER, { workerData: { path, blocks: theirs, prefix, progress, ahead: AHEAD }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  } catch {
    return sequential();
  }
  worker.on('message', (m: Message) => {
    if ('error' in m) failed = m.error;
    else got.set(m.k, m.batch);
    wake?.();
  });
  worker.once('error', (e) => { failed = e.message; wake?.(); });
  worker.once('exit', (code) => { if (code !== 0) failed ??= `exited with code ${code}`; wake?.(); });
  const next = async (k: number): Promise<OpRowBatch | undefined> => {
    while (!got.has(k) && failed === undefined) await new Promise<void>((r) => (wake = r));
    const b = got.get(k);
    got.delete(k);
    return b;
  };

  try {
    const builder = new HistoryBuilder();
    let badLines = 0;
    let restarted = false;
    const add = (e: Entry) => {
      if (e?.type === 'run-start' && builder.peekOps().prefix !== '') restarted = true;
      builder.add(e);
    };
    for (let k = 0; k < blocks.length && !restarted; k++) {
      reached(k);
      const batch = k % 2 === 1 ? await next(k) : undefined;
      if (batch) {
        badLines += batch.badLines;
        if (!builder.addRows(batch)) restarted = true;
        continue;
      }
      // Ours, or the worker's when it could not give it: parsed here.
      forEachLineIn(path, blocks[k]!, (l) => {
        const e = parseLine(l);
        if (e === BAD) badLines++;
        else if (e !== BLANK) add(e);
      });
    }
    // A journal with a second run-start is not one run's: read it line by line, as ever.
    return restarted ? sequential() : { builder, badLines, threads: 2 };
  } finally {
    reached(blocks.length);
    void worker.terminate();
  }
}
