// A FaultContext that records what each fault touches before it touches it. Dry (no real
// adapters): injecting a fault runs the kind's own code (link lookup, zone and group resolution)
// and touches nothing, so validation and the real run cannot disagree; the record is the fault's
// footprint, used to find contradictory faults. Live: the same record goes to the journal first,
// so a run killed mid-injection still says what to heal.
import type { Target } from '../config/target.ts';
import type { Nodes } from '../runtime/docker.ts';
import type { ToxiproxyApi, ToxicSpec } from '../runtime/toxiproxy.ts';
import { startStorm } from '../runtime/storm.ts';
import type { FaultContext, FaultLoad, FaultNodes } from '../faults/types.ts';

/** What one fault touches: `toxic:<proxy>:<stream>:<type>`, `proxy:<name>`, `node:<name>`, `rule:<netns node>:<comment>`, `load:<node>`. */
export type Footprint = Set<string>;

interface Live { toxiproxy: ToxiproxyApi; nodes: Nodes; note?: FaultContext['note'] }

export function recordingContext(target: Target, runId: string, onTouch: (key: string) => void, live?: Live): FaultContext {
  const node = (n: string) => onTouch(`node:${n}`);
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
  // Everything a fault may ask of the nodes (FaultNodes), checked by the compiler: no kind can
  // call something here that the real Nodes has and this has not.
  const nodes = {
    target,
    kill: async (n: string, signal?: string) => (node(n), live?.nodes.kill(n, signal)),
    stop: async (n: string, graceS?: number) => (node(n), live?.nodes.stop(n, graceS)),
    pause: async (n: string) => (node(n), live?.nodes.pause(n)),
    restart: async (n: string, graceS?: number) => (node(n), live?.nodes.restart(n, graceS)),
    start: async (n: string) => live?.nodes.start(n),
    netfilter: async (n: string, op: 'insert' | 'delete', rules: string[][], pid?: number) => {
      // rule: <chain> … --comment fl-<runId>-<faultId>/<proxy> …: recovery finds the rules by the
      // comment's prefix; the history model reads the link's two ends from its proxy.
      if (op === 'insert') for (const rule of rules) onTouch(`rule:${n}:${rule[rule.indexOf('--comment') + 1] ?? ''}`);
      if (live) await live.nodes.netfilter(n, op, rules, pid);
    },
    // Dry: every node is running (as `state` says), under a PID that is never entered.
    pid: async (n: string) => (live ? live.nodes.pid(n) : 1),
    state: async (n: string) => (live ? live.nodes.state(n) : { running: true, paused: false, health: undefined }),
    exec: async (n: string, cmd: string[]) => (live ? live.nodes.exec(n, cmd) : { exitCode: 0, output: '' }),
  } satisfies FaultNodes;
  // Dry: nothing is sent. A storm's thread ends with the process, so a killed run leaves none behind.
  const load: FaultLoad = {
    storm: async (n, spec) => {
      onTouch(`load:${n}`);
      return live ? startStorm(spec) : async () => ({ requests: 0, ok: 0, failed: 0 });
    },
  };
  // Dry: role selectors resolve as if each store's first member were primary.
  const dryRoles = async (store: string) => new Map((target.stores[store]?.members ?? []).map((m, i) => [m, i === 0 ? 'primary' : 'replica']));
  return {
    target, runId, load,
    toxiproxy: toxiproxy as unknown as ToxiproxyApi,
    nodes,
    ...(live ? (live.note ? { note: live.note } : {}) : { roles: dryRoles }),
  };
}

/** Two footprints clash when both hold the same node, disable the same proxy, or set the same toxic type on one stream. */
export function clash(a: Footprint, b: Footprint): string | undefined {
  for (const k of a) if (!k.startsWith('rule:') && b.has(k)) return k.replace(/^toxic:([^:]+):([^:]+):(.+)$/, '$3 on $1 ($2)').replace(/^proxy:/, 'disabling ').replace(/^node:/, 'node ').replace(/^load:/, 'a storm on ');
  return undefined;
}
