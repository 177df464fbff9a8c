// Heal what a killed run left: its lock names the run and its journal; the journal's `touch`
// lines say which proxies and nodes it touched, and a kernel fault it started says to look for its
// iptables rules in every namespace; its `variant-apply` line what its variants changed and the
// values to put back. The journal is then marked as recovered.
import { join } from 'node:path';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { loadTarget, type Target } from '../config/target.ts';
import { appendToJournal, readJournal, type Entry } from '../history/journal.ts';
import { revertVariants } from '../variants/apply.ts';
import type { Readings } from '../variants/types.ts';
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
  const variants = await revertLeftVariants(target, entries, journal, by);
  appendToJournal(journal, 'recovered', { by, pid: process.pid, healed: [...healed, ...variants] });
  removeLock(project, env);
  return { run, healed: [...healed, ...variants], summary: [summarizeLeftovers(left), ...variants].join(', ') };
}

/** Variants the run changed and did not put back: reverted to the values it read before its first change. */
async function revertLeftVariants(target: ReturnType<typeof loadTarget>, entries: Entry[], journal: string, by: string): Promise<string[]> {
  const apply = entries.findLast((e) => e.type === 'variant-apply');
  if (!apply || entries.slice(entries.indexOf(apply)).some((e) => e.type === 'variant-reverted')) return [];
  const names = ((apply.variants as { name: string }[] | undefined) ?? []).map((v) => v.name).join(', ');
  try {
    const r = await revertVariants(target, apply.before as Readings);
    appendToJournal(journal, 'variant-reverted', { values: r.values, ms: r.ms, by });
    return [`variant ${names} reverted`];
  } catch (e) {
    appendToJournal(journal, 'variant-revert-failed', { error: (e as Error).message, by });
    throw new FaultlineError(ErrorCodes.VARIANT_NOT_IN_FORCE, `a killed run's variant ${names} could not be reverted: ${(e as Error).message}`,
      `bring the nodes named above back (\`faultline status\`), then run \`faultline reset\` again; the values to put back are in ${journal} (variant-apply)`);
  }
}
