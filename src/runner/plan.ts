// Resolve a checked timeline into a plan: seeded random steps become concrete fault steps (same
// seed, same schedule), every fault gets its id, and every step its window in ms from the start
// of the timeline, as [earliest, latest] because a waitUntil may end early or at its timeout.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { CheckedFault } from '../config/timeline.ts';
import type { Step } from '../config/timeline.ts';
import { formatMs } from '../core/duration.ts';

export type Window = [number, number];
export type PlanStep =
  | (Extract<Step, { type: 'fault' }> & { id: string; start: Window; end: Window })
  | (Extract<Step, { type: 'wait' | 'waitUntil' }> & { start: Window; end: Window })
  | { type: 'sequence' | 'concurrent'; path: string; steps: PlanStep[]; start: Window; end: Window };
export type PlannedFault = Extract<PlanStep, { type: 'fault' }>;

export interface Plan {
  seed: number;
  steps: PlanStep[];
  faults: PlannedFault[];
  /** How long the timeline takes: [if every waitUntil passes at once, if every one times out]. */
  duration: Window;
}

const add = (w: Window, ms: number): Window => [w[0] + ms, w[1] + ms];

type Rng = ReturnType<typeof xoroshiro128plus>;

/** `count` faults at random, one after another (no two overlap), inside `withinMs`. */
function drawRandom(s: Extract<Step, { type: 'random' }>, rng: Rng): Step[] {
  const durations = Array.from({ length: s.count }, () => uniformInt(rng, s.forMs[0], s.forMs[1]));
  const picks = Array.from({ length: s.count }, () => s.faults[uniformInt(rng, 0, s.faults.length - 1)]!);
  const free = Math.max(0, s.withinMs - durations.reduce((a, b) => a + b, 0));
  const cuts = Array.from({ length: s.count }, () => uniformInt(rng, 0, free)).sort((a, b) => a - b);
  let used = 0;
  return picks.map((fault, i) => {
    const at = cuts[i]! + used;
    used += durations[i]!;
    return { type: 'fault', path: `${s.path}.random[${i}]`, name: `${fault.kind} (random ${i + 1}/${s.count})`, fault, atMs: at, forMs: durations[i]! };
  });
}

export function planTimeline(timeline: Step[], seed: number): Plan {
  const shared = xoroshiro128plus(seed);
  const faults: PlannedFault[] = [];
  const walk = (s: Step, t0: Window): PlanStep => {
    switch (s.type) {
      case 'fault': {
        const start = add(t0, s.atMs);
        const p: PlannedFault = { ...s, id: `f${faults.length + 1}`, start, end: s.forMs === undefined ? [Infinity, Infinity] : add(start, s.forMs) };
        faults.push(p);
        return p;
      }
      case 'wait': return { ...s, start: t0, end: add(t0, s.ms) };
      case 'waitUntil': return { ...s, start: t0, end: [t0[0], t0[1] + s.timeoutMs] };
      case 'random': {
        const rng = s.seed === undefined ? shared : xoroshiro128plus(s.seed);
        return walk({ type: 'concurrent', path: s.path, steps: drawRandom(s, rng) }, t0);
      }
      case 'sequence': {
        const steps: PlanStep[] = [];
        let t = t0;
        for (const c of s.steps) {
          const p = walk(c, t);
          steps.push(p);
          t = doneAt(p);
        }
        return { type: 'sequence', path: s.path, steps, start: t0, end: t };
      }
      case 'concurrent': {
        const steps = s.steps.map((c) => walk(c, t0));
        const ends = steps.map(doneAt);
        return { type: 'concurrent', path: s.path, steps, start: t0, end: [Math.max(...ends.map((e) => e[0])), Math.max(...ends.map((e) => e[1]))] };
      }
    }
  };
  const root = walk({ type: 'sequence', path: 'timeline', steps: timeline }, [0, 0]);
  return { seed, steps: (root as { steps: PlanStep[] }).steps, faults, duration: root.end };
}

/** When a step is over: a fault held to the end is "over" once injected. */
export function doneAt(p: PlanStep): Window {
  return p.type === 'fault' && p.forMs === undefined ? p.start : p.end;
}

/** `latency link=app-a->haproxy-a latencyMs=250 …`: a spec on one line (roles stay unresolved until injection). */
export function describeSpec(f: CheckedFault): string {
  const { kind, ...rest } = f;
  const show = (v: unknown): string => (typeof v === 'object' && v !== null && 'from' in v && 'to' in v && typeof (v as { from: unknown }).from === 'string'
    ? `${(v as { from: string }).from}->${(v as { to: string }).to}${(v as { port?: string }).port ? `:${(v as { port?: string }).port}` : ''}` : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return [kind, ...Object.entries(rest).map(([k, v]) => `${k}=${show(v)}`)].join(' ');
}

const at = (w: Window): string => (w[0] === w[1] ? `+${formatMs(w[0])}` : `+${formatMs(w[0])} … +${formatMs(w[1])}`);

/** The resolved timeline as lines, in time order (for --dry-run). */
export function renderPlan(plan: Plan, describe: (f: CheckedFault) => string = describeSpec): string[] {
  const rows: { t: number; line: string }[] = [];
  const visit = (p: PlanStep): void => {
    if (p.type === 'fault') {
      rows.push({ t: p.start[0], line: `${at(p.start).padEnd(22)} inject ${p.id} ${p.name}: ${describe(p.fault)}` });
      rows.push({ t: p.end[0], line: `${(p.forMs === undefined ? 'at the end' : at(p.end)).padEnd(22)} heal   ${p.id}` });
    } else if (p.type === 'wait') rows.push({ t: p.start[0], line: `${at(p.start).padEnd(22)} wait ${formatMs(p.ms)}` });
    else if (p.type === 'waitUntil') rows.push({ t: p.start[0], line: `${at(p.start).padEnd(22)} wait until "${p.probe.name}" passes (at most ${formatMs(p.timeoutMs)}, then ${p.onTimeout})` });
    else p.steps.forEach(visit);
  };
  plan.steps.forEach(visit);
  return rows.sort((a, b) => a.t - b.t).map((r) => r.line);
}
