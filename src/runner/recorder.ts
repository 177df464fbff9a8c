// A FaultContext that records what each fault touches before it touches it. Dry (no real
// adapters): injecting a fault runs the kind's own code (link lookup, zone and group resolution)
// and touches nothing, so validation and the real run cannot disagree; the record is the fault's
// footprint, used to find contradictory faults. Live: the same record goes to the journal first,
// so a run killed mid-injection still says what to heal.
import type { Target } from '../config/target.ts';
import type { Nodes } from '../runtime/docker.ts';
import type { ToxiproxyApi, ToxicSpec } from '../runtime/toxiproxy.ts';
import type { FaultContext } from '../faults/types.ts';

/** What one fault touches: `toxic:<proxy>:<stream>:<type>`, `proxy:<name>`, `node:<name>`, `rule:<node>:<comment>`. */
export type Footprint = Set<string>;

interface Live { toxiproxy: ToxiproxyApi; nodes: Nodes; note?: FaultContext['note'] }

export function recordingContext(target: Target, runId: string, onTouch: (key: string) => void, live?: Live): FaultContext {
  const nodeOp = (op: 'kill' | 'stop' | 'pause' | 'restart') => async (node: string, ...rest: unknown[]) => {
    onTouch(`node:${node}`);
    if (live) await (live.nodes[op] as (n: string, ...r: unknown[]) => Promise<void>).call(live.nodes, node, ...rest);
  };
  const toxiproxy = {
    addToxic: async (proxy: string, t: ToxicSpec) => {
      onTouch(`toxic:${proxy}:${t.stream}:${t.type}`);
      if (live) await live.toxiproxy.addToxic(proxy, t);
    },
    removeToxic: async (proxy: string, name: string) => live?.toxiproxy.removeToxic(proxy, name),
    // Dry: every proxy of the link map, with a placeholder listen port.
    list: async () => (live ? live.toxiproxy.list() : target.links.flatMap((l) => l.proxies.map((p) => ({ name: p.name, listen: '0.0.0.0:1', upstream: '', enabled: true, toxics: [] })))),
    setEnabled: async (proxy: string, enabled: boolean) => {
      if (!enabled) onTouch(`proxy:${proxy}`);
      if (live) await live.toxiproxy.setEnabled(proxy, enabled);
    },
  };
  const nodes = {
    target,
    kill: nodeOp('kill'), stop: nodeOp('stop'), pause: nodeOp('pause'), restart: nodeOp('restart'),
    start: async (node: string) => live?.nodes.start(node),
    netfilter: async (node: string, op: 'insert' | 'delete', rule: string[]) => {
      // rule: <chain> … --comment <fl-runId-faultId> …: recovery finds the rules by that comment.
      if (op === 'insert') onTouch(`rule:${node}:${rule[rule.indexOf('--comment') + 1] ?? ''}`);
      if (live) await live.nodes.netfilter(node, op, rule);
    },
    state: async (node: string) => (live ? live.nodes.state(node) : { running: true, paused: false, health: undefined }),
    exec: async (node: string, cmd: string[]) => (live ? live.nodes.exec(node, cmd) : { exitCode: 0, output: '' }),
  };
  // Dry: role selectors resolve as if each store's first member were primary.
  const dryRoles = async (store: string) => new Map((target.stores[store]?.members ?? []).map((m, i) => [m, i === 0 ? 'primary' : 'replica']));
  return {
    target, runId,
    toxiproxy: toxiproxy as unknown as ToxiproxyApi,
    nodes: nodes as unknown as Nodes,
    ...(live ? (live.note ? { note: live.note } : {}) : { roles: dryRoles }),
  };
}

/** Two footprints clash when both hold the same node, disable the same proxy, or set the same toxic type on one stream. */
export function clash(a: Footprint, b: Footprint): string | undefined {
  for (const k of a) if (!k.startsWith('rule:') && b.has(k)) return k.replace(/^toxic:([^:]+):([^:]+):(.+)$/, '$3 on $1 ($2)').replace(/^proxy:/, 'disabling ').replace(/^node:/, 'node ');
  return undefined;
}
