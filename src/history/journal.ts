// The run's append-only history: one JSON object per line, written straight to the file as it
// happens (no buffering in this process), so a crash or SIGKILL leaves every line written so far.
// `t` is milliseconds since the run started, from a monotonic clock; wall time is in the first line.
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { forEachLineIn } from './blocks.ts';

export interface Entry { t: number; type: string; [k: string]: unknown }

export class Journal {
  readonly path: string;
  private fd: number | undefined;
  private readonly t0: number;

  constructor(path: string, t0 = performance.now()) {
    this.path = path;
    this.fd = openSync(path, 'a');
    this.t0 = t0;
  }

  /** When the run's clock started, in ms since the epoch (performance.timeOrigin based): another thread's clock can be set from it. */
  get originEpochMs(): number {
    return performance.timeOrigin + this.t0;
  }

  /** Milliseconds since the run started (monotonic). */
  now(): number {
    return Math.round((performance.now() - this.t0) * 10) / 10;
  }

  write(type: string, data: Record<string, unknown> = {}): Entry {
    const entry = { t: this.now(), type, ...data };
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    return entry;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface JournalRead { entries: Entry[]; complete: boolean; badLines: number }

/**
 * Call `onEntry` for every line of a journal, read in 64 KiB chunks: memory stays bounded
 * whatever the journal's size (a whole-file string stops at V8's ~512 MiB limit). A line that is
 * not JSON (a torn last line after a crash) is counted, not thrown. Returns the bad-line count.
 */
export function forEachEntry(path: string, onEntry: (e: Entry) => void): { badLines: number } {
  if (!existsSync(path)) return { badLines: 0 };
  let badLines = 0;
  forEachLineIn(path, { start: 0, end: statSync(path).size }, (l) => {
    const e = parseLine(l);
    if (e === BAD) badLines++;
    else if (e !== BLANK) onEntry(e);
  });
  return { badLines };
}

export const BLANK = Symbol('blank line');
export const BAD = Symbol('not JSON');

/** One journal line: its entry, BLANK for a blank line, BAD for one that is not JSON (a torn last line). */
export function parseLine(l: string): Entry | typeof BLANK | typeof BAD {
  if (!l.trim()) return BLANK;
  try {
    return JSON.parse(l) as Entry;
  } catch {
    return BAD;
  }
}

/** Every entry of a (small) journal in memory; a run that never wrote `run-end` is incomplete. */
export function readJournal(path: string): JournalRead {
  const entries: Entry[] = [];
  const { badLines } = forEachEntry(path, (e) => entries.push(e));
  return { entries, complete: entries.some((e) => e.type === 'run-end'), badLines };
}

/** Append one line to a journal this process does not own (e.g. marking a killed run as recovered). */
export function appendToJournal(path: string, type: string, data: Record<string, unknown>): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${JSON.stringify({ t: null, type, at: new Date().toISOString(), ...data })}\n`);
  } finally {
    closeSync(fd);
  }
}
