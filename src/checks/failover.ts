// Each failover of a store, phase by phase, in ms from the fault that caused it: when the system
// noticed (its own evidence: a Sentinel's +sdown/+odown, the DCS leader key changing hands,
// HAProxy routing away), when the harness lost contact with the old primary (reported apart, it is
// only the poll interval), when a new primary said so, when every client of the store wrote again,
// and when the store's error rate was back at its pre-fault level. Each phase names its evidence.
import type { FailoverPhases } from '../core/verdict.ts';
import type { FaultSpan, History } from '../history/model.ts';
import type { Failover } from './failovers.ts';
import { bandLimit, DOWN, errorRateBetween, finishedOf, phases, primaryAt, roleSource, type StoreInfo } from './timeline.ts';

const BUCKET_MS = 1000;
/** Consecutive buckets within the baseline's band that make the error rate "back". */
const BACK_RUN = 3;
/** Fewer writes than this before the first fault make no baseline. */
const MIN_BASELINE = 10;

export interface ErrorRateBack { ms: number | null; evidence: string }

/**
 * When the error rate came back: the start of the first run of BACK_RUN non-empty 1 s buckets
 * within the baseline's band (bandLimit) after the first bucket outside it; 0 if none was outside.
 */
export function errorRateBack(h: History, store: string | undefined, originT: number, baselineEndT: number): ErrorRateBack {
  const base = errorRateBetween(h.ops, -Infinity, baselineEndT, store);
  if (base.n < MIN_BASELINE) return { ms: null, evidence: `no error-rate baseline: ${base.n} write(s) before the first fault (at least ${MIN_BASELINE} needed)` };
  const b = base.rate!;
  const buckets = Math.max(0, Math.ceil((h.endT - originT) / BUCKET_MS));
  const total = new Uint32Array(buckets);
  const bad = new Uint32Array(buckets);
  for (const i of finishedOf(h.ops, store)) {
    const k = Math.floor((h.ops.due(i) - originT) / BUCKET_MS);
    if (k < 0 || k >= buckets) continue;
    total[k]!++;
    if (!h.ops.isOk(i)) bad[k]!++;
  }
  const inBand = (k: number) => bad[k]! <= bandLimit(total[k]!, b);
  let first = -1;
  for (let k = 0; k < buckets && first < 0; k++) if (total[k] && !inBand(k)) first = k;
  const pct = `${(b * 100).toFixed(1)}%`;
  if (first < 0) return { ms: 0, evidence: `the error rate never left the band of its baseline ${pct} (${base.n} writes before the first fault)` };
  let run = 0;
  for (let k = first + 1; k < buckets; k++) {
    if (!total[k]) continue;
    run = inBand(k) ? run + 1 : 0;
    if (run === BACK_RUN) {
      const start = k - BACK_RUN + 1;
      return { ms: start * BUCKET_MS, evidence: `error rate back within the band of its baseline ${pct} from +${start * BUCKET_MS} ms (${BACK_RUN} buckets of 1 s in a row)` };
    }
  }
  return { ms: null, evidence: `error rate not back within the band of its baseline ${pct} by the end of the run` };
}

/** The system's own evidence that the old primary is gone, at or after `from`. */
function detection(h: History, name: string, store: StoreInfo, old: string, from: number): { t: number; why: string } | undefined {
  const found: { t: number; why: string }[] = [];
  if (store.masterName) {
    const e = h.sentinelEvents.find((x) => x.t >= from && /^[+](s|o)down$/.test(x.channel) && x.message.startsWith(`master ${store.masterName} `));
    if (e) found.push({ t: e.t, why: `${e.sentinel}: ${e.channel} ${e.message}` });
  }
  // The DCS leader key, or a router's UP members ("pg-a+pg-b"), no longer naming the old primary.
  // "down" is the observer losing that source, not the system noticing anything.
  for (const source of ['dcs-leader', 'haproxy'] as const) {
    const o = h.observations.find((x) => x.source === source && x.store === name && x.t >= from && x.value !== DOWN && !x.value.split('+').includes(old));
    if (o) found.push({ t: o.t, why: `${source} ${o.node}: ${o.value === 'none' ? (source === 'haproxy' ? 'no server up' : 'no leader') : o.value} instead of ${old}` });
  }
  return found.sort((a, b) => a.t - b.t)[0];
}

/** Every client of the store wrote successfully again after t: when the last of them did. */
function clientsBack(h: History, store: string, t: number): { t: number | null; clients: string[]; missing: string[] } {
  const ops = h.ops;
  // By client code: whether it wrote to the store at all, and its first acknowledgement sent after t.
  const wrote = new Uint8Array(ops.clients.list.length);
  const first = new Float64Array(ops.clients.list.length).fill(Infinity);
  for (const i of finishedOf(ops, store)) {
    const c = ops.clientIndex(i);
    wrote[c] = 1;
    if (ops.isOk(i) && ops.sent(i) >= t && ops.end(i) < first[c]!) first[c] = ops.end(i);
  }
  const codes = ops.clients.list.map((_, c) => c).filter((c) => wrote[c]);
  const missing = codes.filter((c) => first[c] === Infinity).map((c) => ops.clients.list[c]!);
  const last = codes.reduce((m, c) => Math.max(m, first[c]!), -Infinity);
  return { t: codes.length && !missing.length ? last : null, clients: codes.map((c) => ops.clients.list[c]!), missing };
}

/**
 * The write gap: the longest silence between consecutive acknowledgements of the store's writes,
 * from the last one before the fault to the first one sent after the promotion. (Writes in flight
 * across the promotion may be acknowledged just after it; they do not shorten the gap.)
 */
function writeGap(h: History, store: string, fromT: number, promotedT: number): number | null {
  const ops = h.ops;
  let firstAfter = Infinity;
  let lastBefore = -Infinity;
  const mine = finishedOf(ops, store);
  for (const i of mine) {
    if (!ops.isOk(i)) continue;
    if (ops.sent(i) >= promotedT) firstAfter = Math.min(firstAfter, ops.end(i));
    if (ops.end(i) <= fromT) lastBefore = Math.max(lastBefore, ops.end(i));
  }
  if (firstAfter === Infinity || lastBefore === -Infinity) return null;
  const acks: number[] = [lastBefore, firstAfter];
  for (const i of mine) if (ops.isOk(i) && ops.end(i) > lastBefore && ops.end(i) < firstAfter) acks.push(ops.end(i));
  acks.sort((a, b) => a - b);
  let gap = 0;
  for (let k = 1; k < acks.length; k++) gap = Math.max(gap, acks[k]! - acks[k - 1]!);
  return Math.round(gap);
}

/** A store with no failover to report: every phase empty, and why in the evidence. */
export const noPhases = (store: string, evidence: string[] = []): FailoverPhases => ({
  store, oldPrimary: null, newPrimary: null, cause: null, originT: null, necessary: false, detectedMs: null, detectedBy: null, unreachableMs: null,
  promotedMs: null, recoveredMs: null, errorRateBaselineMs: null, writeGapMs: null, evidence,
});

/** Phases of one failover, measured from its cause (or, for one no fault called for, from its own first sign). */
export function failoverPhases(h: History, name: string, store: StoreInfo, f: Failover): FailoverPhases {
  return measure(h, name, store, f.from, f.cause, f, f.necessary);
}

/** A store a fault hit (its primary, or a link touching it) that did not fail over. */
export function noFailover(h: History, name: string, store: StoreInfo, cause: FaultSpan, old: string): FailoverPhases {
  return measure(h, name, store, old, cause, null, true);
}

function measure(h: History, name: string, store: StoreInfo, old: string, cause: FaultSpan | null, f: Failover | null, necessary: boolean): FailoverPhases {
  const evidence: string[] = [];
  const source = roleSource(store);
  // The old primary going quiet: the harness's view, not the system's.
  const lost = h.observations.find((o) => o.node === old && o.value === DOWN && o.t >= (cause?.start ?? -Infinity) && (f === null || o.t <= f.t));
  const det = detection(h, name, store, old, cause?.start ?? lost?.t ?? f?.t ?? 0);
  const originT = cause?.start ?? Math.min(det?.t ?? Infinity, lost?.t ?? Infinity, f?.t ?? Infinity);
  const rel = (t: number) => Math.round(t - originT);
  evidence.push(cause ? `measured from ${cause.id} (${cause.description}) at +${Math.round(cause.start)} ms into the run` : `no fault on ${old} was active (or within the settle window) at the promotion: measured from its first sign`);
  if (det) evidence.push(`detected at +${rel(det.t)} ms (${det.why})`);
  else evidence.push(`no system-side detection evidence for ${name} (Sentinel events, DCS leader key, HAProxy) in the journal`);
  if (lost) evidence.push(`${old} stopped answering the observers at +${rel(lost.t)} ms (${lost.source})`);
  const out: FailoverPhases = {
    ...noPhases(name), oldPrimary: old, cause: cause ? { id: cause.id, description: cause.description } : null, originT, necessary,
    detectedMs: det ? rel(det.t) : null, detectedBy: det?.why ?? null, unreachableMs: lost ? rel(lost.t) : null,
  };
  if (!f) {
    evidence.push(`no other member of ${name} became primary${source ? ` (by ${source})` : ''}`);
    return { ...out, evidence };
  }
  // The node's own answer dates it: Sentinel announces the promotion ~50-100 ms before the
  // replica switches (measured against its log), so that event would date it early.
  evidence.push(`promoted ${f.to} at +${rel(f.t)} ms (${source}: ${f.to} says primary)`);
  const back = clientsBack(h, name, f.t);
  if (back.t !== null) evidence.push(`every client of ${name} (${back.clients.join(', ')}) wrote again by +${rel(back.t)} ms`);
  else if (back.clients.length) evidence.push(`not every client of ${name} wrote again after the promotion (never: ${back.missing.join(', ')})`);
  const err = h.ops.length ? errorRateBack(h, name, originT, phases(h).faultT ?? originT) : null;
  if (err) evidence.push(err.evidence);
  return {
    ...out, newPrimary: f.to, promotedMs: rel(f.t), recoveredMs: back.t === null ? null : rel(back.t),
    errorRateBaselineMs: err?.ms ?? null, writeGapMs: writeGap(h, name, originT, f.t), evidence,
  };
}

/** Stores a fault hit: the fault touched the member that was primary when it started. */
export function hitsOf(h: History, store: StoreInfo): { fault: FaultSpan; primary: string }[] {
  const out: { fault: FaultSpan; primary: string }[] = [];
  for (const f of h.faults) {
    const p = primaryAt(h, store, f.start);
    if (p && f.nodes.includes(p)) out.push({ fault: f, primary: p });
  }
  return out;
}
