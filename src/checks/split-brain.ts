// Split brain: two members of one store accepting writes in overlapping time, proven by writes
// each acknowledged. A window is where two members held primacy at once (from a promotion to a
// demotion; losing contact does not end it); it is split brain when at least two of them
// acknowledged a write sent and answered inside it. Members merely *saying* primary at once (an
// old master restarted as one that no client wrote to) is reported as the claim overlap,
// dualPrimaryClaimMs, not as split brain.
import type { History } from '../history/model.ts';
import { totalMs, type Window } from './availability.ts';
import { hasRoleEvidence, noRoleEvidence, roleIntervals, roleSource, type Interval, type StoreInfo } from './timeline.ts';

export interface SplitBrainWindow extends Window { nodes: string[]; acked: Record<string, number> }

export interface SplitBrain {
  /** Proven split brain, ms; null when the history cannot tell. */
  ms: number | null;
  windows: SplitBrainWindow[];
  /** Time in which two members said primary at once. */
  claimMs: number;
  /** Writes acknowledged by a member after another had been promoted over it. */
  writesToSuperseded: number;
  evidence: string;
}

/** Pairwise overlaps of members' intervals, merged per window with the members in it. */
function overlaps(byNode: [string, Interval[]][]): { start: number; end: number; nodes: string[] }[] {
  const edges = byNode.flatMap(([n, ivs]) => ivs.flatMap((iv) => [{ t: iv.start, n, d: 1 }, { t: iv.end, n, d: -1 }])).sort((a, b) => a.t - b.t || a.d - b.d);
  const now = new Set<string>();
  const out: { start: number; end: number; nodes: string[] }[] = [];
  let open: { start: number; nodes: Set<string> } | undefined;
  for (const e of edges) {
    if (e.d === 1) now.add(e.n);
    else now.delete(e.n);
    if (now.size >= 2) {
      if (!open) open = { start: e.t, nodes: new Set(now) };
      else now.forEach((n) => open!.nodes.add(n));
    } else if (open) {
      if (e.t > open.start) out.push({ start: open.start, end: e.t, nodes: [...open.nodes] });
      open = undefined;
    }
  }
  return out;
}

/** Who was promoted later: by the system's own epoch when both have one, else by when their primacy began. */
function newer(a: Interval, b: Interval): boolean {
  return a.epoch !== undefined && b.epoch !== undefined && a.epoch !== b.epoch ? a.epoch > b.epoch : a.start > b.start;
}

export function splitBrain(h: History, name: string, store: StoreInfo): SplitBrain {
  const source = roleSource(store);
  if (!source || !hasRoleEvidence(h, store)) return { ms: null, windows: [], claimMs: 0, writesToSuperseded: 0, evidence: noRoleEvidence(h, name, store) };
  const claims = store.members.map((m) => [m, roleIntervals(h, m, source, 'claims')] as [string, Interval[]]);
  const claimMs = Math.round(totalMs(overlaps(claims)));
  const primacy = new Map(store.members.map((m) => [m, roleIntervals(h, m, source, 'primacy')]));
  const windows = overlaps([...primacy]);

  const ops = h.ops;
  const proven: SplitBrainWindow[] = [];
  let unattributed = 0;
  let superseded = 0;
  const mask = ops.storeMask(name);
  for (const w of windows) {
    const acked: Record<string, number> = {};
    // Only a write sent and answered inside the window proves its node accepted it then.
    for (let i = 0; i < ops.length; i++) {
      if (!ops.isOk(i) || !(ops.storeBitsOf(i) & mask) || ops.sent(i) < w.start || ops.end(i) > w.end) continue;
      const n = ops.node(i, name);
      if (!n) {
        unattributed++;
        continue;
      }
      acked[n] = (acked[n] ?? 0) + 1;
      // Superseded: another member in this window holds a primacy that began after n's did.
      const mine = primacy.get(n)?.find((iv) => iv.start <= ops.sent(i) && iv.end >= ops.end(i));
      if (mine && w.nodes.some((m) => m !== n && primacy.get(m)!.some((iv) => iv.start <= ops.end(i) && iv.end >= ops.sent(i) && newer(iv, mine)))) superseded++;
    }
    if (Object.keys(acked).length >= 2) proven.push({ ...w, acked });
  }
  const ms = Math.round(totalMs(proven));
  const fmt = (w: Window) => `+${Math.round(w.start)}..+${Math.round(w.end)} ms`;
  if (proven.length) {
    return { ms, windows: proven, claimMs, writesToSuperseded: superseded, evidence: proven.map((w) => `${Object.entries(w.acked).map(([n, c]) => `${n} acknowledged ${c}`).join(' and ')} write(s) in ${fmt(w)}`).join('; ') };
  }
  if (windows.length && unattributed) {
    return { ms: null, windows: [], claimMs, writesToSuperseded: superseded, evidence: `${windows.length} window(s) with two primaries (${windows.map(fmt).join(', ')}) and ${unattributed} acknowledged write(s) in them that name no ${name} node: cannot tell` };
  }
  const why = windows.length ? `two members held primacy at once (${windows.map((w) => `${w.nodes.join('+')} ${fmt(w)}`).join(', ')}) but at most one acknowledged writes then` : 'never two primaries at once';
  return { ms: 0, windows: [], claimMs, writesToSuperseded: superseded, evidence: why };
}
