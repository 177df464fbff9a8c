// The timeline a report draws, computed from the history alone: per 1 s bucket what completed and
// how long the successful writes took, per store node its role over time, and the fault intervals.
//
// x is seconds from the origin the caller passes (the judgement's faultT, the same origin as every
// "+N ms" in the failover phases), or from the run start when no fault ran. Ops land in the bucket in
// which their outcome became known (endT), as a dashboard would show them: a stall reads as a gap
// in throughput followed by a latency spike, not as writes quietly moved back to when they were due.
import { percentile } from '../core/percentile.ts';
import type { Judgement } from '../core/verdict.ts';
import type { History, Observation } from '../history/model.ts';

export const BUCKET_MS = 1000;

/**
 * Sources that state a node's role, the node's own answer first: a node's lane follows the first
 * that observed it. Patroni's view comes from its key in etcd, which still says "primary" until a
 * dead member's key expires; pg_is_in_recovery() says "down" at once.
 */
export const ROLE_SOURCES: readonly Observation['source'][] = ['pg-recovery', 'redis-role', 'patroni'];

export interface RoleSegment { from: number; to: number; value: string }
export interface RoleLane { node: string; store: string | null; source: Observation['source']; segments: RoleSegment[] }
export interface FaultBand { id: string; kind: string; description: string; from: number; to: number; open: boolean }
/** Lost acknowledged writes of one node (first to last acknowledgement), and promotions (seconds from the origin). */
export interface LostBand { store: string; node: string; count: number; from: number; to: number }
export interface PromotionMark { store: string; node: string; x: number; droppedLost: boolean }

export interface ReportSeries {
  /** ms since the run started that x = 0 stands for. */
  originT: number;
  origin: 'fault' | 'run-start';
  /** Bucket starts, seconds from the origin; every array below is indexed like it. */
  x: number[];
  ok: number[];
  failed: number[];
  indeterminate: number[];
  /** Latency of the successful ops completed in the bucket, scheduledT → endT in ms; null when none. */
  p50: (number | null)[];
  p99: (number | null)[];
  lanes: RoleLane[];
  faults: FaultBand[];
  lost: LostBand[];
  promotions: PromotionMark[];
  /** The run's span in seconds from the origin: the charts' x range. */
  startX: number;
  endX: number;
}

function roleLanes(h: History, sec: (t: number) => number): RoleLane[] {
  const byNode = new Map<string, Observation[]>();
  for (const o of h.observations) if (ROLE_SOURCES.includes(o.source)) byNode.set(o.node, [...(byNode.get(o.node) ?? []), o]);
  const lanes: RoleLane[] = [];
  for (const [node, obs] of byNode) {
    const source = ROLE_SOURCES.find((s) => obs.some((o) => o.source === s))!;
    const mine = obs.filter((o) => o.source === source).sort((a, b) => a.t - b.t);
    const segments: RoleSegment[] = [];
    for (const o of mine) {
      const last = segments.at(-1);
      if (last?.value === o.value) continue; // a repeat is not a change
      if (last) last.to = sec(o.t);
      segments.push({ from: sec(o.t), to: sec(h.endT), value: o.value });
    }
    lanes.push({ node, store: obs.find((o) => o.store)?.store ?? null, source, segments });
  }
  return lanes.sort((a, b) => (a.store ?? '').localeCompare(b.store ?? '') || a.node.localeCompare(b.node));
}

export function reportSeries(h: History, faultT: number | null, j?: Pick<Judgement, 'writes' | 'failovers'>): ReportSeries {
  const originT = faultT ?? 0;
  const sec = (t: number) => (t - originT) / 1000;
  const first = Math.floor(-originT / BUCKET_MS);
  // At least one bucket; the last one also takes ops ending exactly at endT.
  const last = Math.max(first, Math.ceil((h.endT - originT) / BUCKET_MS) - 1);
  const n = last - first + 1;
  const ok = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  const indeterminate = new Array<number>(n).fill(0);
  // Latencies of successful ops by bucket in one typed array: counted, placed, then each bucket sorted.
  const ops = h.ops;
  const bucket = new Uint32Array(ops.length);
  for (let k = 0; k < ops.length; k++) {
    if (ops.isPending(k)) continue;
    const i = Math.min(n - 1, Math.max(0, Math.floor((ops.end(k) - originT) / BUCKET_MS) - first));
    bucket[k] = i;
    const outcome = ops.outcome(k);
    if (outcome === 'ok') ok[i]! += 1;
    else if (outcome === 'fail') failed[i]! += 1;
    else indeterminate[i]! += 1;
  }
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + ok[i]!;
  const lat = new Float64Array(start[n]!);
  const fill = start.slice(0, n);
  for (let k = 0; k < ops.length; k++) if (ops.isOk(k)) lat[fill[bucket[k]!]!++] = ops.end(k) - ops.due(k);
  const sorted = Array.from({ length: n }, (_, i) => lat.subarray(start[i]!, start[i + 1]!).sort());
  const pct = (p: number) => sorted.map((b) => percentile(b, p));
  return {
    originT,
    origin: faultT === null ? 'run-start' : 'fault',
    x: Array.from({ length: n }, (_, i) => ((first + i) * BUCKET_MS) / 1000),
    ok, failed, indeterminate,
    p50: pct(50),
    p99: pct(99),
    lanes: roleLanes(h, sec),
    faults: h.faults.map((f) => ({ id: f.id, kind: f.kind, description: f.description, from: sec(f.start), to: sec(f.end ?? h.endT), open: f.end === null })),
    lost: (j?.writes.lostSpans ?? []).map((l) => ({ store: l.store, node: l.node, count: l.count, from: sec(l.fromT), to: sec(l.toT) })),
    promotions: Object.values(j?.failovers ?? {}).flat().filter((f) => f.promotedMs !== null && f.newPrimary !== null).map((f) => {
      const t = f.originT! + f.promotedMs!;
      return { store: f.store, node: f.newPrimary!, x: sec(t), droppedLost: (j?.writes.lostSpans ?? []).some((l) => l.store === f.store && l.droppedBy?.node === f.newPrimary && Math.abs(l.droppedBy.t - t) < 1) };
    }),
    startX: sec(0),
    endX: sec(h.endT),
  };
}
