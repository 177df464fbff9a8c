// The run's append-only history: one JSON object per line, written straight to the file as it
// happens (no buffering in this process), so a crash or SIGKILL leaves every line written so far.
// `t` is milliseconds since the run started, from a monotonic clock; wall time is in the first line.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';

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

/** Read a journal back; a run that never wrote `run-end` is incomplete, and a torn last line is skipped. */
export function readJournal(path: string): JournalRead {
  if (!existsSync(path)) return { entries: [], complete: false, badLines: 0 };
  const entries: Entry[] = [];
  let badLines = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as Entry);
    } catch {
      badLines++;
    }
  }
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
