// The run's verdict from its history and judgement, by one set of rules for the live run and for a
// re-judge from disk: a run that did not go as planned (it died, was interrupted, was unhealthy
// or not in its given placement before any fault, could not inject a fault, hit its deadline, its
// workload client had a bug) is unknown whatever the SLOs say;
// a breach, a timed-out wait or a steady state not restored fails it; then the SLOs decide.
import type { Judgement, RunVerdict, Verdict } from '../core/verdict.ts';
import type { History } from '../history/model.ts';

/** Timeline stops that are the system's fault (the run fails), not the run's (unknown). */
const FAILING_STOPS = new Set(['WaitTimedOut', 'Breach']);

export type { RunVerdict } from '../core/verdict.ts';

const list = (xs: { probe: string; detail: string }[]) => [...new Map(xs.map((x) => [x.probe, `${x.probe} (${x.detail})`])).values()].join('; ');

export function runVerdict(h: History, j: Judgement): RunVerdict {
  const r = h.run;
  const unknown: string[] = [];
  const failed: string[] = [];
  if (!h.complete) unknown.push(`the journal has no end: the run's process died before it finished recording${r.recoveredBy ? ` (healed later by ${r.recoveredBy})` : ''}`);
  for (const p of r.placeFailed) unknown.push(`given.primaries: ${p.wanted} could not be made the ${p.store} primary before any fault: ${p.error}`);
  const v = r.variants;
  if (v?.error) unknown.push(`variant: ${v.variants.map((x) => x.name).join(', ')} not in force before any fault: ${v.error}`);
  // Anything changed must have been put back, by the run or by the recovery of a killed one.
  const notReverted = v !== null && v.touched && v.reverted?.ok !== true;
  if (notReverted) failed.push(`variant: ${v.variants.map((x) => x.name).join(', ')} not reverted${v.reverted?.error ? `: ${v.reverted.error}` : ''}; run \`faultline reset\``);
  const before = r.probes.filter((p) => p.phase === 'before');
  if (before.some((p) => !p.ok)) unknown.push(`steady state not met before any fault: ${list(before.filter((p) => !p.ok))}`);
  for (const f of r.injectFailed) unknown.push(`fault ${f.id} could not be injected: ${f.error}`);
  // A write the client itself failed on says nothing of the system: the history has a hole there.
  const bugs = h.ops.clientBugs;
  if (bugs.length) unknown.push(`client bug: the workload client threw on ${bugs.length} write(s), which are no evidence either way (first, ${bugs[0]!.id}: ${bugs[0]!.error})`);
  if (r.timelineStopped) (FAILING_STOPS.has(r.timelineStopped.kind) ? failed : unknown).push(r.timelineStopped.reason);
  const breaches = r.probes.filter((p) => p.phase === 'during' && !p.ok);
  if (breaches.length) failed.push(`steady state breached during the run ${breaches.length} time(s): ${[...new Set(breaches.map((b) => b.probe))].join(', ')}`);
  const after = r.probes.filter((p) => p.phase === 'after');
  const interrupted = r.timelineStopped?.kind === 'Interrupted';
  if (after.length && r.restoredT === null && !interrupted) {
    const last = new Map(after.map((p) => [p.probe, p]));
    failed.push(`steady state not restored after healing: ${list([...last.values()].filter((p) => !p.ok))}`);
  }
  const slo = j.slos.filter((x) => x.verdict !== 'pass').map((s) => `SLO ${s.name} ${s.verdict}: observed ${s.observed ?? 'nothing'} against ${s.limit} (${s.evidence})`);
  const verdict: Verdict = unknown.length ? 'unknown' : failed.length || j.verdict === 'fail' ? 'fail' : j.verdict;
  // A run that died has no cleanup line: it counts as not cleaned unless a later reset healed it.
  const cleanup = notReverted ? 'failed' : r.cleanup?.verdict ?? (r.recoveredBy ? 'ok' : 'failed');
  return { verdict, reasons: [...new Set([...unknown, ...failed, ...slo])], cleanup };
}
