// The steady-state hypothesis over a run: probes before (all must pass), during (each failure is a
// breach; some abort the timeline), and after (all must pass again within recoverWithin). Every
// probe result is journaled.
import type { ProbeOutcome } from '../core/run-result.ts';
import type { Experiment } from '../config/experiment.ts';
import type { Probe, ProbePhase } from '../config/probe.ts';
import type { Target } from '../config/target.ts';
import type { Journal } from '../history/journal.ts';
import { runProbe } from './probe.ts';
import { sleep } from './timeline.ts';

export type { ProbeOutcome } from '../core/run-result.ts';

const never = new AbortController().signal;

export class SteadyState {
  private readonly exp: Experiment;
  private readonly target: Target;
  private readonly journal: Journal;

  constructor(exp: Experiment, target: Target, journal: Journal) {
    this.exp = exp;
    this.target = target;
    this.journal = journal;
  }

  probes(phase: ProbePhase): Probe[] {
    return this.exp.steadyState.probes.filter((p) => p.phases.includes(phase));
  }

  async check(phase: ProbePhase | 'wait' | 'settle', probes: Probe[], path?: string): Promise<ProbeOutcome[]> {
    return Promise.all(probes.map(async (p) => {
      const res = await runProbe(p, this.target);
      const t = this.journal.now();
      this.journal.write('probe', { phase, ...(path ? { path } : {}), probe: p.name, ok: res.ok, detail: res.detail, ms: res.ms });
      return { probe: p.name, t, ...res };
    }));
  }

  /** Probe every `every` until stopped; each failure is a breach, and an abortOnBreach one calls `abort`. */
  watch(signal: AbortSignal, abort: (o: ProbeOutcome) => void): { stop(): Promise<{ checks: number; breaches: ProbeOutcome[] }> } {
    const probes = this.probes('during');
    const breaches: ProbeOutcome[] = [];
    let checks = 0;
    let running = true;
    const loop = (async () => {
      while (running && probes.length) {
        const round = await this.check('during', probes);
        checks++;
        for (const o of round.filter((x) => !x.ok)) {
          breaches.push(o);
          if (probes.find((x) => x.name === o.probe)!.abortOnBreach) abort(o);
        }
        // An abort (breach, Ctrl-C) ends the wait at once; stop() comes right after.
        await sleep(this.exp.steadyState.everyMs, signal).catch(() => undefined);
        if (signal.aborted) break;
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return { checks, breaches };
      },
    };
  }

  /** Probe until every `after` probe passes, or recoverWithin runs out. */
  async restored(): Promise<{ after: ProbeOutcome[]; restoredMs?: number }> {
    const r = await this.until('after', this.probes('after'));
    return { after: r.outcomes, ...(r.ms !== undefined ? { restoredMs: r.ms } : {}) };
  }

  /**
   * After this run healed what a killed run left, the system is still settling (replication
   * reconnecting): wait for the `before` probes, journaled as phase "settle", up to recoverWithin.
   * The `before` check that decides the run comes after, unchanged.
   */
  async settled(): Promise<{ outcomes: ProbeOutcome[]; ms?: number }> {
    return this.until('settle', this.probes('before'));
  }

  private async until(phase: 'after' | 'settle', probes: Probe[]): Promise<{ outcomes: ProbeOutcome[]; ms?: number }> {
    if (!probes.length) return { outcomes: [] };
    const t0 = performance.now();
    for (;;) {
      const outcomes = await this.check(phase, probes);
      if (outcomes.every((p) => p.ok)) return { outcomes, ms: Math.round(performance.now() - t0) };
      if (performance.now() - t0 > this.exp.steadyState.recoverWithinMs) return { outcomes };
      await sleep(this.exp.steadyState.everyMs, never);
    }
  }
}
