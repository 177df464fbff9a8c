// Walk a plan in real time. Faults are injected and healed through the callbacks (the runner
// owns the active set, so whatever happens here, its own finally heals what is still active).
// An abort (signal, breach, deadline) stops every wait at once.
import type { PlanStep, PlannedFault } from './plan.ts';
import type { Probe } from '../config/probe.ts';
import type { ProbeResult } from './probe.ts';

export interface TimelineDeps {
  inject(f: PlannedFault): Promise<void>;
  heal(f: PlannedFault): Promise<void>;
  probe(p: Probe, path: string): Promise<ProbeResult>;
  note(type: string, data: Record<string, unknown>): void;
  signal: AbortSignal;
}

/** A waitUntil that ran out of time with onTimeout "fail": the run fails, with this reason. */
export class WaitTimedOut extends Error {}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function step(s: PlanStep, d: TimelineDeps): Promise<void> {
  switch (s.type) {
    case 'fault':
      await sleep(s.atMs, d.signal);
      await d.inject(s);
      if (s.forMs !== undefined) {
        await sleep(s.forMs, d.signal);
        await d.heal(s);
      }
      return;
    case 'wait':
      return sleep(s.ms, d.signal);
    case 'waitUntil': {
      const t0 = performance.now();
      for (;;) {
        const r = await d.probe(s.probe, s.path);
        if (r.ok) return d.note('wait-passed', { path: s.path, probe: s.probe.name, afterMs: Math.round(performance.now() - t0) });
        if (performance.now() - t0 >= s.timeoutMs) {
          d.note('wait-timed-out', { path: s.path, probe: s.probe.name, last: r.detail, onTimeout: s.onTimeout });
          if (s.onTimeout === 'fail') throw new WaitTimedOut(`${s.path}: "${s.probe.name}" did not pass within ${s.timeoutMs} ms (last: ${r.detail})`);
          return;
        }
        await sleep(s.everyMs, d.signal);
      }
    }
    case 'sequence':
      for (const c of s.steps) await step(c, d);
      return;
    case 'concurrent': {
      // One failing branch stops its siblings, so no branch injects after the run has failed.
      const branch = new AbortController();
      const signal = AbortSignal.any([d.signal, branch.signal]);
      // Every branch settles before this step does, so nothing injects after the runner heals.
      const results = await Promise.allSettled(s.steps.map((c) => step(c, { ...d, signal }).catch((e: unknown) => {
        branch.abort(e);
        throw e;
      })));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }
}

export async function runTimeline(steps: PlanStep[], d: TimelineDeps): Promise<void> {
  for (const s of steps) await step(s, d);
}
