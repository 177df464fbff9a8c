// Failover of one store, phase by phase, in ms from the first fault's injection: when the system
// noticed (a Sentinel's +sdown/+odown, or the old primary stopping to say it is primary), when a
// new primary said so, when every client wrote again, and when the error rate came back to its
// level before the fault. Each phase names its evidence; one that did not happen is null.
import type { FailoverPhases } from '../core/verdict.ts';
import type { History, Op } from '../history/model.ts';
import { errorRate, phases, series, valueAt, WRITABLE_SOURCES, type StoreInfo } from './timeline.ts';

const BUCKET_MS = 1000;

function primaryAt(h: History, store: StoreInfo, t: number): string | null {
  const sources = WRITABLE_SOURCES[store.kind] ?? [];
  const found = store.members.filter((m) => sources.some((s) => valueAt(series(h, m, s), t) === 'primary'));
  return found.length === 1 ? found[0]! : null;
}

/** The end of the last 1 s bucket after the fault whose error rate was above the baseline; null if it never came back. */
export function errorRateBack(ops: Op[], faultT: number, endT: number, baseline: number): number | null {
  const threshold = Math.max(baseline * 2, baseline + 0.01);
  // One pass: count writes and errors per bucket (a long run has many buckets and many writes).
  const buckets = Math.max(0, Math.ceil((endT - faultT) / BUCKET_MS));
  const total = new Array<number>(buckets).fill(0);
  const bad = new Array<number>(buckets).fill(0);
  for (const o of ops) {
    const b = Math.floor((o.scheduledT - faultT) / BUCKET_MS);
    if (b < 0 || b >= buckets) continue;
    total[b]!++;
    if (o.outcome !== 'ok') bad[b]!++;
  }
  let lastBad = -1;
  for (let b = 0; b < buckets; b++) if (total[b]! && bad[b]! / total[b]! > threshold) lastBad = b;
  if (lastBad === -1) return 0;
  return total.slice(lastBad + 1).some((n) => n > 0) ? (lastBad + 1) * BUCKET_MS : null;
}

export function failoverPhases(h: History, storeName: string, store: StoreInfo, masterName?: string): FailoverPhases {
  const { faultT } = phases(h);
  const none: FailoverPhases = { store: storeName, oldPrimary: null, newPrimary: null, detectedMs: null, promotedMs: null, recoveredMs: null, errorRateBaselineMs: null, evidence: [] };
  if (faultT === null) return { ...none, evidence: ['no fault was injected'] };
  const evidence: string[] = [];
  const rel = (t: number) => Math.round(t - faultT);
  const oldPrimary = primaryAt(h, store, faultT);
  if (!oldPrimary) evidence.push(`no single primary of ${storeName} was observed when the fault was injected`);

  const sources = WRITABLE_SOURCES[store.kind] ?? [];
  const after = h.observations.filter((o) => o.t >= faultT && store.members.includes(o.node) && sources.includes(o.source)).sort((a, b) => a.t - b.t);
  const promoted = after.find((o) => o.value === 'primary' && o.node !== oldPrimary);
  const oldLeft = oldPrimary ? after.find((o) => o.node === oldPrimary && o.value !== 'primary') : undefined;
  // Sentinel speaks for the store whose master it watches, and for no other.
  const sdown = masterName === undefined ? undefined
    : h.sentinelEvents.find((e) => e.t >= faultT && /^[+](s|o)down$/.test(e.channel) && e.message.startsWith(`master ${masterName} `));
  const detectedCandidates = [
    ...(sdown ? [{ t: sdown.t, why: `${sdown.sentinel}: ${sdown.channel} ${sdown.message}` }] : []),
    ...(oldLeft ? [{ t: oldLeft.t, why: `${oldLeft.source}: ${oldLeft.node} ${oldLeft.value}` }] : []),
    ...(promoted ? [{ t: promoted.t, why: `${promoted.source}: ${promoted.node} primary` }] : []),
  ].sort((a, b) => a.t - b.t);
  const detected = detectedCandidates[0];
  if (detected) evidence.push(`detected at +${rel(detected.t)} ms (${detected.why})`);
  if (promoted) evidence.push(`promoted at +${rel(promoted.t)} ms (${promoted.source}: ${promoted.node} says primary)`);
  else evidence.push(`no other member of ${storeName} became primary`);

  // Clients recovered: every client has written successfully after the promotion (or the fault).
  const from = promoted?.t ?? faultT;
  const clients = [...new Set(h.ops.map((o) => o.client))];
  const firstOk = clients.map((c) => h.ops.filter((o) => o.client === c && o.outcome === 'ok' && o.sentT >= from).sort((a, b) => a.endT! - b.endT!)[0]);
  const recovered = clients.length && firstOk.every(Boolean) ? Math.max(...firstOk.map((o) => o!.endT!)) : null;
  if (recovered !== null) evidence.push(`every client (${clients.join(', ')}) wrote again by +${rel(recovered)} ms`);
  else if (clients.length) evidence.push(`not every client wrote again after ${promoted ? 'the promotion' : 'the fault'}`);

  const before = h.ops.filter((o) => o.scheduledT < faultT && o.outcome !== 'pending');
  const back = h.ops.length ? errorRateBack(h.ops.filter((o) => o.outcome !== 'pending'), faultT, h.endT, errorRate(before) ?? 0) : null;
  return {
    store: storeName, oldPrimary, newPrimary: promoted?.node ?? null,
    detectedMs: detected ? rel(detected.t) : null, promotedMs: promoted ? rel(promoted.t) : null,
    recoveredMs: recovered !== null ? rel(recovered) : null, errorRateBaselineMs: back, evidence,
  };
}
