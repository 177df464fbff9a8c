// The journal is read as a stream in 1 MiB chunks: lines cut by a chunk edge, a multi-byte
// character split between chunks, and a torn last line (a crash mid-write) must all come out right.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachEntry } from '../../src/history/journal.ts';
import { readHistory } from '../../src/history/read.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming journal reader', () => {
  it('reads every line across chunk edges, with multi-byte text, and counts a torn last line', () => {
    const path = join(dir, 'j.jsonl');
    const lines: string[] = [JSON.stringify({ t: 0, type: 'run-start', runId: 'r', experiment: 'é-ü' })];
    // ~3 MiB of lines whose lengths drift, so chunk edges fall everywhere, some inside "€".
    for (let i = 0; i < 30_000; i++) lines.push(JSON.stringify({ t: i, type: 'note', text: `${'€'.repeat(i % 37)}${'x'.repeat(i % 13)}`, i }));
    writeFileSync(path, `${lines.join('\n')}\n{"t": 30000, "type": "no`);
    const seen: number[] = [];
    const { badLines } = forEachEntry(path, (e) => {
      if (e.type === 'note') {
        expect(e.text).toBe(`${'€'.repeat(Number(e.i) % 37)}${'x'.repeat(Number(e.i) % 13)}`);
        seen.push(Number(e.i));
      }
    });
    expect(seen).toHaveLength(30_000);
    expect(seen.every((v, k) => v === k)).toBe(true);
    expect(badLines).toBe(1);
  });

  it('a missing journal reads as empty and incomplete', () => {
    const h = readHistory(join(dir, 'none.jsonl'));
    expect([h.ops.length, h.complete]).toEqual([0, false]);
  });
});
