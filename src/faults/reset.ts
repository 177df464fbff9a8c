// `faultline reset`: undo whatever faults a run left behind, whoever injected them. Toxiproxy's
// /reset drops every toxic and re-enables every proxy; every node that is paused or not running
// is started again; every iptables rule commented fl-… (partition_kernel) leaves the nodes' and
// Toxiproxy's network namespaces.
import type { Target } from '../config/target.ts';
import { Nodes } from '../runtime/docker.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import { kernelFaultsUnavailable } from '../runtime/iptables.ts';

export interface ResetReport { toxicsRemoved: number; proxiesEnabled: number; nodesStarted: string[]; kernelRulesRemoved: number }

/** Rules a kernel fault left. A host that cannot run kernel faults cannot have left any: 0. */
async function removeKernelRules(t: Target, nodes: Nodes): Promise<number> {
  if (await kernelFaultsUnavailable()) return 0;
  let removed = 0;
  for (const name of [...Object.keys(t.nodes), t.toxiproxy.service]) {
    const rules = await nodes.netfilterRules(name, 'fl-');
    await nodes.netfilter(name, 'delete', rules);
    removed += rules.length;
  }
  return removed;
}

export async function resetTarget(t: Target): Promise<ResetReport> {
  const api = new ToxiproxyApi(t.toxiproxyUrl);
  const before = await api.list();
  await api.reset();
  const nodes = new Nodes(t);
  const started: string[] = [];
  for (const name of Object.keys(t.nodes)) {
    const s = await nodes.state(name).catch(() => undefined);
    if (s && (s.paused || !s.running)) {
      await nodes.start(name);
      started.push(name);
    }
  }
  return {
    toxicsRemoved: before.reduce((n, p) => n + p.toxics.length, 0),
    proxiesEnabled: before.filter((p) => !p.enabled).length,
    nodesStarted: started,
    kernelRulesRemoved: await removeKernelRules(t, nodes),
  };
}
