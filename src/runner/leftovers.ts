// What a run may have left behind, found from its own records: toxics named fl-<runId>-…, the
// proxies it disabled, the nodes it stopped or paused. Used to verify cleanup after every run,
// and to heal a run that was killed before it could.
import type { Target } from '../config/target.ts';
import { Nodes } from '../runtime/docker.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import { toxicPrefix } from '../faults/link-toxic.ts';

export interface Leftovers { toxics: { proxy: string; name: string }[]; proxies: string[]; nodes: string[]; rules: { node: string; rule: string[] }[] }

export const isEmpty = (l: Leftovers): boolean => !l.toxics.length && !l.proxies.length && !l.nodes.length && !l.rules.length;
export const describeLeftovers = (l: Leftovers): string[] => [
  ...l.toxics.map((x) => `toxic ${x.name} on ${x.proxy}`),
  ...l.proxies.map((p) => `proxy ${p} disabled`),
  ...l.nodes.map((n) => `node ${n} not running`),
  ...l.rules.map((r) => `iptables rule on ${r.node}: ${r.rule.join(' ')}`),
];

/** One line for a terminal: counts, not every toxic. */
export function summarizeLeftovers(l: Leftovers): string {
  if (isEmpty(l)) return 'nothing';
  const parts = [];
  if (l.toxics.length) parts.push(`${l.toxics.length} toxic(s) on ${new Set(l.toxics.map((x) => x.proxy)).size} proxies`);
  if (l.proxies.length) parts.push(`${l.proxies.length} disabled prox${l.proxies.length === 1 ? 'y' : 'ies'}`);
  if (l.nodes.length) parts.push(`nodes ${l.nodes.join(', ')}`);
  if (l.rules.length) parts.push(`${l.rules.length} iptables rule(s) on ${[...new Set(l.rules.map((r) => r.node))].join(', ')}`);
  return parts.join(', ');
}

/** `touched` holds footprint keys (`proxy:<name>`, `node:<name>`, `toxic:…`) the run recorded. */
export async function findLeftovers(t: Target, runId: string, touched: Iterable<string>): Promise<Leftovers> {
  const keys = [...touched];
  const proxies = await new ToxiproxyApi(t.toxiproxyUrl).list();
  const prefix = toxicPrefix(runId);
  const disabled = new Set(keys.filter((k) => k.startsWith('proxy:')).map((k) => k.slice(6)));
  const nodes = new Nodes(t);
  const down: string[] = [];
  for (const n of new Set(keys.filter((k) => k.startsWith('node:')).map((k) => k.slice(5)))) {
    const s = await nodes.state(n).catch(() => undefined);
    if (!s || !s.running || s.paused) down.push(n);
  }
  // Kernel rules: only in the nodes the run cut in, found by the run's comment prefix.
  const rules: Leftovers['rules'] = [];
  for (const n of new Set(keys.filter((k) => k.startsWith('rule:')).map((k) => k.split(':')[1]!))) {
    for (const rule of await nodes.netfilterRules(n, prefix)) rules.push({ node: n, rule });
  }
  return {
    rules,
    toxics: proxies.flatMap((p) => p.toxics.filter((x) => x.name.startsWith(prefix)).map((x) => ({ proxy: p.name, name: x.name }))),
    proxies: proxies.filter((p) => disabled.has(p.name) && !p.enabled).map((p) => p.name),
    nodes: down,
  };
}

export async function clearLeftovers(t: Target, l: Leftovers): Promise<void> {
  const api = new ToxiproxyApi(t.toxiproxyUrl);
  const nodes = new Nodes(t);
  for (const x of l.toxics) await api.removeToxic(x.proxy, x.name);
  for (const p of l.proxies) await api.setEnabled(p, true);
  for (const n of l.nodes) await nodes.start(n);
  for (const r of l.rules) await nodes.netfilter(r.node, 'delete', r.rule);
}
