// A journal cut into blocks that start and end at line boundaries, so threads can each read their
// own blocks and the lines still come out in the file's order, block after block.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface Block { start: number; end: number }

const NL = 0x0a;

/** Blocks of about `size` bytes; each but the last ends just after a newline. */
export function journalBlocks(path: string, size: number): Block[] {
  const fd = openSync(path, 'r');
  try {
    const total = fstatSync(fd).size;
    const probe = Buffer.allocUnsafe(1 << 16);
    const blocks: Block[] = [];
    let start = 0;
    while (start < total) {
      let end = Math.min(total, start + size);
      // Move the cut forward to just after the next newline (a line is never split between blocks).
      while (end < total) {
        const n = readSync(fd, probe, 0, probe.length, end);
        const i = probe.subarray(0, n).indexOf(NL);
        if (i >= 0) {
          end += i + 1;
          break;
        }
        end += n;
      }
      blocks.push({ start, end });
      start = end;
    }
    return blocks;
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 1 << 16;

/** Every line of a block (without its newline), in order; a last line without a newline included. */
export function forEachLineIn(path: string, b: Block, onLine: (l: string) => void): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (let pos = b.start; pos < b.end;) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, b.end - pos), pos);
      if (n === 0) break;
      pos += n;
      const text = rest + decoder.write(buf.subarray(0, n));
      let from = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        onLine(text.slice(from, nl));
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    const last = rest + decoder.end();
    if (last) onLine(last);
  } finally {
    closeSync(fd);
  }
}
