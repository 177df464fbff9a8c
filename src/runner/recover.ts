// Heal what a killed run left: its lock names the run and its journal; the journal's `touch`
// lines say which proxies and nodes it touched. The journal is then marked as recovered.
import { join } from 'node:path';
import { loadTarget } from '../config/target.ts';
import { appendToJournal, readJournal } from '../history/journal.ts';
import { clearLeftovers, describeLeftovers, findLeftovers, summarizeLeftovers } from './leftovers.ts';
import { removeLock, staleLock, type LockInfo } from './lock.ts';

export interface Recovery { run: LockInfo; healed: string[]; summary: string }

export async function recoverStaleRun(project: string, env: NodeJS.ProcessEnv = process.env, by = 'faultline'): Promise<Recovery | undefined> {
  const run = staleLock(project, env);
  if (!run) return undefined;
  const target = loadTarget(run.target.path, { ...env, FAULTLINE_BIND: run.target.host, FAULTLINE_PROJECT: run.target.project });
  const journal = join(run.runDir, 'journal.jsonl');
  const touched = readJournal(journal).entries.filter((e) => e.type === 'touch').map((e) => String(e.key));
  const left = await findLeftovers(target, run.runId, touched);
  await clearLeftovers(target, left);
  const healed = describeLeftovers(left);
  appendToJournal(journal, 'recovered', { by, pid: process.pid, healed });
  removeLock(project, env);
  return { run, healed, summary: summarizeLeftovers(left) };
}
