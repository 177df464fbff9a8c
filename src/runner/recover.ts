// Heal what a killed run left: its lock names the run and its journal; the journal's `touch`
// lines say which proxies and nodes it touched, and a kernel fault it started says to look for its
// iptables rules in every namespace. The journal is then marked as recovered.
import { join } from 'node:path';
import { loadTarget, type Target } from '../config/target.ts';
import { appendToJournal, readJournal } from '../history/journal.ts';
import { clearLeftovers, describeLeftovers, findLeftovers, liveIo, summarizeLeftovers, type LeftoverIo } from './leftovers.ts';
import { removeLock, staleLock, type LockInfo } from './lock.ts';

export interface Recovery { run: LockInfo; healed: string[]; summary: string }

export async function recoverStaleRun(project: string, env: NodeJS.ProcessEnv = process.env, by = 'faultline', io: (t: Target) => LeftoverIo = liveIo): Promise<Recovery | undefined> {
  const run = staleLock(project, env);
  if (!run) return undefined;
  const target = loadTarget(run.target.path, { ...env, FAULTLINE_BIND: run.target.host, FAULTLINE_PROJECT: run.target.project });
  const journal = join(run.runDir, 'journal.jsonl');
  const entries = readJournal(journal).entries;
  const touched = entries.filter((e) => e.type === 'touch').map((e) => String(e.key));
  const kernel = touched.some((k) => k.startsWith('rule:')) || entries.some((e) => e.type === 'fault-inject' && (e.spec as { kind?: unknown } | undefined)?.kind === 'partition_kernel');
  const live = io(target);
  const left = await findLeftovers(target, run.runId, touched, { kernel, io: live });
  await clearLeftovers(target, left, live);
  const healed = describeLeftovers(left);
  appendToJournal(journal, 'recovered', { by, pid: process.pid, healed });
  removeLock(project, env);
  return { run, healed, summary: summarizeLeftovers(left) };
}
