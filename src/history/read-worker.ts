// Worker entry for read-parallel.ts: read the blocks given, code their op lines as rows, and post
// one batch per block, in order, its arrays moved, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { forEachLineIn, type Block } from './blocks.ts';
import { BAD, BLANK, parseLine } from './journal.ts';
import { OpRowCoder } from './op-rows.ts';

const { path, blocks, prefix, progress, ahead } = workerData as { path: string; blocks: { k: number; block: Block }[]; prefix: string; progress: SharedArrayBuffer; ahead: number };
// The block the judging thread is at: this thread waits rather than run further ahead, so the rows
// waiting for it stay a few blocks' worth however slow it is.
const at = new Int32Array(progress);
try {
  const coder = new OpRowCoder(prefix);
  for (const { k, block } of blocks) {
    for (let seen = Atomics.load(at, 0); seen < k - ahead; seen = Atomics.load(at, 0)) Atomics.wait(at, 0, seen, 100);
    forEachLineIn(path, block, (l) => {
      const e = parseLine(l);
      if (e === BAD) coder.badLines++;
      else if (e !== BLANK) coder.add(e);
    });
    const batch = coder.take();
    parentPort!.postMessage({ k, batch }, [batch.rows.buffer as ArrayBuffer, batch.nodes.buffer as ArrayBuffer]);
  }
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
