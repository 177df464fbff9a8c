// A journal read as a stream into a history: what the live run and `faultline judge` both judge.
import { forEachEntry } from './journal.ts';
import { HistoryBuilder, type History } from './model.ts';

/** Feed every line of a journal into a builder (which may take more lines afterwards). */
export function readInto(path: string, b: HistoryBuilder): { badLines: number } {
  return forEachEntry(path, (e) => b.add(e));
}

export function readHistory(path: string): History {
  const b = new HistoryBuilder();
  readInto(path, b);
  return b.finish();
}
