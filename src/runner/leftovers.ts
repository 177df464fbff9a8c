// What a run may have left behind, found from its own records: toxics named fl-<runId>-…, the
// proxies it disabled, the nodes it stopped or paused, and the iptables rules commented
// fl-<runId>-… in any node's network namespace (or Toxiproxy's). Used to verify cleanup after
// every run, and to heal a run that was killed before it could.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import { Nodes } from '../runtime/docker.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import { kernelFaultsUnavailable } from '../runtime/iptables.ts';
import { toxicPrefix } from '../faults/link-toxic.ts';

export interface Leftovers { toxics: { proxy: string; name: string }[]; proxies: string[]; nodes: string[]; rules: { node: string; rule: string[] }[] }

/** What the check uses of Toxiproxy and the engine: the real ones, unless a test hands in others. */
export interface LeftoverIo {
  toxiproxy: Pick<ToxiproxyApi, 'list' | 'removeToxic' | 'setEnabled'>;
  nodes: Pick<Nodes, 'state' | 'start' | 'netfilter' | 'netfilterRules'>;
  /** Why this host cannot enter the nodes' network namespaces, or undefined when it can. */
  kernelUnavailable: () => Promise<string | undefined>;
}
export const liveIo = (t: Target): LeftoverIo => ({ toxiproxy: new ToxiproxyApi(t.toxiproxyUrl), nodes: new Nodes(t), kernelUnavailable: () => kernelFaultsUnavailable() });

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

export interface FindOptions {
  /** The run cut links in the kernel: look for its rules. Default: it recorded a `rule:` touch. */
  kernel?: boolean;
  io?: LeftoverIo;
}

/**
 * `touched` holds footprint keys (`proxy:<name>`, `node:<name>`, `toxic:…`, `rule:…`) the run
 * recorded. Kernel rules are looked for by the run's comment prefix in every namespace, not only
 * those it recorded: a rule is found whichever record of it was lost.
 */
export async function findLeftovers(t: Target, runId: string, touched: Iterable<string>, o: FindOptions = {}): Promise<Leftovers> {
  const keys = [...touched];
  const io = o.io ?? liveIo(t);
  const proxies = await io.toxiproxy.list();
  const prefix = toxicPrefix(runId);
  const disabled = new Set(keys.filter((k) => k.startsWith('proxy:')).map((k) => k.slice(6)));
  const down: string[] = [];
  for (const n of new Set(keys.filter((k) => k.startsWith('node:')).map((k) => k.slice(5)))) {
    const s = await io.nodes.state(n).catch(() => undefined);
    if (!s || !s.running || s.paused) down.push(n);
  }
  const kernel = o.kernel ?? keys.some((k) => k.startsWith('rule:'));
  return {
    rules: kernel ? await kernelRules(t, runId, io) : [],
    toxics: proxies.flatMap((p) => p.toxics.filter((x) => x.name.startsWith(prefix)).map((x) => ({ proxy: p.name, name: x.name }))),
    proxies: proxies.filter((p) => disabled.has(p.name) && !p.enabled).map((p) => p.name),
    nodes: down,
  };
}

/** The run's rules in every node's netns and Toxiproxy's (a node that is not running has none). */
async function kernelRules(t: Target, runId: string, io: LeftoverIo): Promise<Leftovers['rules']> {
  const why = await io.kernelUnavailable();
  if (why) {
    throw new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, `run ${runId} cut links in the kernel, and its iptables rules cannot be looked for from here: ${why}`,
      'run `faultline reset` as root on the machine that runs the Docker engine, with iptables and nsenter installed');
  }
  const names = [...Object.keys(t.nodes), t.toxiproxy.service];
  const found = await Promise.all(names.map((n) => io.nodes.netfilterRules(n, toxicPrefix(runId))));
  return names.flatMap((node, i) => found[i]!.map((rule) => ({ node, rule })));
}

export async function clearLeftovers(t: Target, l: Leftovers, io: LeftoverIo = liveIo(t)): Promise<void> {
  for (const x of l.toxics) await io.toxiproxy.removeToxic(x.proxy, x.name);
  for (const p of l.proxies) await io.toxiproxy.setEnabled(p, true);
  for (const n of l.nodes) await io.nodes.start(n);
  for (const [node, rs] of Map.groupBy(l.rules, (r) => r.node)) await io.nodes.netfilter(node, 'delete', rs.map((r) => r.rule));
}
