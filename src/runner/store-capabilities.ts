// An experiment asks each store only what its kind can answer: a role selector needs a kind that
// can tell its primary (or its replicas), a role probe's replica count whom they stream from,
// `given.primaries` a kind that can move its primary, a failover or split-brain SLO a kind whose
// roles are watched through the run. Refused before anything is touched, naming the kinds that can.
import { ErrorCodes, type ErrorDetail } from '../core/errors.ts';
import type { Experiment } from '../config/experiment.ts';
import type { Probe } from '../config/probe.ts';
import type { Target } from '../config/target.ts';
import { cannotSay, capabilitiesOf, kindsThatCan } from '../stores/registry.ts';
import type { Capability } from '../stores/types.ts';

interface Need { store: string; cap: Capability; path: string; what: string }

/** Role selectors anywhere in a fault spec (node, zoneOf, ...), by shape. */
function selectorsIn(v: unknown, path: string, out: Need[]): void {
  if (v === null || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && typeof o.primaryOf === 'string') out.push({ store: o.primaryOf, cap: 'primary', path, what: `{ primaryOf: '${o.primaryOf}' }` });
  else if (keys.length === 1 && typeof o.replicaOf === 'string') out.push({ store: o.replicaOf, cap: 'replicas', path, what: `{ replicaOf: '${o.replicaOf}' }` });
  else for (const [k, x] of Object.entries(o)) selectorsIn(x, Array.isArray(o) ? `${path}[${k}]` : `${path}.${k}`, out);
}

function probeNeeds(p: Probe, path: string, out: Need[]): void {
  if ('role' in p) {
    out.push({ store: p.role.store, cap: 'primary', path: `${path}.role`, what: 'a role probe' });
    if (p.role.replicas !== undefined) out.push({ store: p.role.store, cap: 'upstreams', path: `${path}.role.replicas`, what: 'a role probe counting replicas' });
  } else selectorsIn(p, path, out);
}

export function capabilityProblems(exp: Experiment, t: Target, faults: { fault: unknown; path: string }[], probes: { probe: Probe; path: string }[]): ErrorDetail[] {
  const needs: Need[] = [];
  for (const f of faults) selectorsIn(f.fault, `${f.path}.fault`, needs);
  for (const p of probes) probeNeeds(p.probe, p.path, needs);
  for (const store of Object.keys(exp.given.primaries)) needs.push({ store, cap: 'place', path: `given.primaries.${store}`, what: 'given.primaries' });
  const stores = Object.keys(t.stores);
  // A single limit speaks of every store; a map only of the stores it names.
  const perStore = (v: unknown, key: string, what: string) => {
    if (v === undefined) return;
    const named = typeof v === 'object' && v !== null ? Object.keys(v) : stores;
    for (const store of named) needs.push({ store, cap: 'observe', path: typeof v === 'object' ? `slos.${key}.${store}` : `slos.${key}`, what });
  };
  perStore(exp.slos.maxFailoverTime, 'maxFailoverTime', 'maxFailoverTime');
  perStore(exp.slos.maxFailovers, 'maxFailovers', 'maxFailovers');
  if (exp.slos.noSplitBrain) perStore(true, 'noSplitBrain', 'noSplitBrain');
  perStore(exp.slos.maxDualPrimaryClaim, 'maxDualPrimaryClaim', 'maxDualPrimaryClaim');

  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const n of needs) {
    // A random step draws a fault more than once: one problem per place.
    if (seen.has(`${n.path} ${n.store} ${n.cap}`)) continue;
    seen.add(`${n.path} ${n.store} ${n.cap}`);
    // An unknown store is reported where it is named (the probe, the fault, the SLO checks).
    if (!t.stores[n.store] || capabilitiesOf(t, n.store).has(n.cap)) continue;
    const single = n.path.startsWith('slos.') && !n.path.endsWith(`.${n.store}`);
    problems.push({
      code: ErrorCodes.KIND_CANNOT_ANSWER, path: n.path,
      message: `${n.what}: ${cannotSay(t, n.store, n.cap)}`,
      fix: `declare ${n.store}'s kind as one that can: ${kindsThatCan(n.cap)}${n.cap === 'place' ? `; or leave ${n.store} out of given.primaries` : single ? `; or give the limit per store, leaving ${n.store} out` : n.cap === 'primary' || n.cap === 'replicas' ? '; or name the node' : ''}`,
    });
  }
  return problems;
}
