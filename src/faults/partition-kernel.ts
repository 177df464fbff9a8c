// Partition `partition_kernel`: the same sides as `isolate` / `zones`, cut by the kernel instead of
// Toxiproxy. Every node sits alone on its own network with Toxiproxy, and every server port is
// unique mesh-wide, so in the client node's network namespace a link's server port names that
// link: DROP what the client sends to it (OUTPUT --dport) and what comes back (INPUT --sport).
// Packets vanish below TCP: no handshake completes, and a held connection retransmits and carries
// on after the heal, where a Toxiproxy blackhole accepts, swallows, and closes on heal. Each rule's
// comment names its run, its fault and its proxy (fl-<run>-<fault>/<proxy>), as a toxic sits on its
// proxy: leftovers are found by the prefix, and the history reads the link's two ends from it.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { requireKernelFaults } from '../runtime/iptables.ts';
import { once, type FaultContext, type FaultKind } from './types.ts';
import { NodeSelector, type NodeSelectorSpec } from '../config/node-selector.ts';
import { ZoneSide, isolateSides, zoneSides, type ZoneSideSpec } from './partition-sides.ts';
import { cutsBetween, type Cut } from './partition-cut.ts';
import { toxicPrefix } from './link-toxic.ts';

const schema = z.object({
  kind: z.literal('partition_kernel'),
  isolate: NodeSelector.optional(),
  from: ZoneSide.optional(),
  to: ZoneSide.optional(),
  oneWay: z.boolean().optional(),
}).strict().superRefine((s, c) => {
  if (s.isolate !== undefined) {
    for (const k of ['from', 'to', 'oneWay'] as const) if (s[k] !== undefined) c.addIssue({ code: 'custom', path: [k], message: 'not with isolate: give either isolate, or from and to' });
  } else {
    if (s.from === undefined) c.addIssue({ code: 'custom', path: ['from'], message: 'required (or give isolate instead of from and to)' });
  }
});
type Spec = z.infer<typeof schema>;

/** A rule in one node's netns; `node` may be the Toxiproxy service (for the external client). */
interface Rule { node: string; rule: string[] }

/** The rules, grouped by the node whose netns they go in. */
const byNode = (rules: Rule[]): [string, string[][]][] => [...Map.groupBy(rules, (r) => r.node)].map(([n, rs]) => [n, rs.map((r) => r.rule)]);

// One-way A -/-> B (upstream of links A opened, downstream of links B opened): OUTPUT rules on A's clients, INPUT rules on B's.
// Held connections still carry B -> A data; new ones fail both ways, as a handshake needs both.
async function rulesFor(ctx: FaultContext, cuts: Cut[], prefix: string): Promise<Rule[]> {
  const rules = new Map<string, Rule>();
  let proxy = '';
  const add = (node: string, chain: 'INPUT' | 'OUTPUT', match: '--dport' | '--sport', port: number) => {
    const rule = [chain, '!', chain === 'INPUT' ? '-i' : '-o', 'lo', '-p', 'tcp', '-m', 'tcp', match, String(port), '-m', 'comment', '--comment', `${prefix}/${proxy}`, '-j', 'DROP'];
    rules.set(`${node} ${rule.join(' ')}`, { node, rule });
  };
  // The external client (the host) has no netns to cut in; its side of Toxiproxy is the proxy's
  // own listen port, published, so cut there (cutting at the server would also blind the direct
  // ports that probes observe through).
  const listen = cuts.some((c) => !ctx.target.nodes[c.link.from]) ? await ctx.toxiproxy.list() : [];
  const tp = ctx.target.toxiproxy.service;
  for (const { link, stream } of cuts) {
    for (const p of link.proxies) {
      proxy = p.name;
      const up = stream !== 'downstream';
      const down = stream !== 'upstream';
      if (ctx.target.nodes[link.from]) {
        if (up) add(link.from, 'OUTPUT', '--dport', p.portNumber);
        if (down) add(link.from, 'INPUT', '--sport', p.portNumber);
        continue;
      }
      const port = Number(listen.find((x) => x.name === p.name)?.listen.split(':').pop());
      if (!port) throw new FaultlineError(ErrorCodes.TOXIPROXY_REQUEST, `Toxiproxy has no proxy ${p.name} with a listen port`, 'check the target against `faultline status`');
      if (up) add(tp, 'INPUT', '--dport', port);
      if (down) add(tp, 'OUTPUT', '--sport', port);
    }
  }
  return [...rules.values()];
}

/** Run every call at once and wait for all of them; then throw the first failure, if any. */
async function settleAll(calls: (() => Promise<void>)[]): Promise<void> {
  const failed = (await Promise.allSettled(calls.map((c) => c()))).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const partitionKernel = {
  kind: 'partition_kernel',
  schema,
  async inject(raw, ctx, id) {
    const spec = raw as Spec;
    const oneWay = spec.oneWay ?? false;
    const sides = spec.isolate !== undefined ? await isolateSides(ctx, spec.isolate as NodeSelectorSpec) : await zoneSides(ctx, spec.from as ZoneSideSpec, spec.to, oneWay);
    const cuts = cutsBetween(ctx.target.links, sides.a, sides.b, oneWay);
    await requireKernelFaults();
    const rules = await rulesFor(ctx, cuts, `${toxicPrefix(ctx.runId)}${id}`);
    const perNode = byNode(rules);
    // Every netns is found before any is cut: a node that is not running (or a PID from another
    // PID namespace) refuses the fault with nothing touched, and the cuts need no lookup of their own.
    const pids = await Promise.all(perNode.map(([n]) => ctx.nodes.pid(n)));
    const stopped = perNode.filter((_, i) => !pids[i]).map(([n]) => n);
    if (stopped.length) throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${stopped.join(', ')} ${stopped.length > 1 ? 'are' : 'is'} not running, so there is no network namespace to cut`, 'start it first (`faultline reset`), or cut it with the proxy-level `zones` / `isolate`');

    // Every rule goes through the context, so a dry run records it and touches nothing. Each
    // node's rules go in at once, and the nodes side by side: the cut lands at nearly one moment.
    const added = new Set<string>();
    const heal = once(async () => {
      await settleAll(perNode.filter(([n]) => added.has(n)).map(([n, rs]) => () => ctx.nodes.netfilter(n, 'delete', rs)));
    });
    try {
      await settleAll(perNode.map(([n, rs], i) => () => {
        added.add(n); // before the call: a half-done injection is still healed
        return ctx.nodes.netfilter(n, 'insert', rs, pids[i]);
      }));
    } catch (err) {
      await heal();
      throw err;
    }
    return { id, kind: 'partition_kernel', description: `${sides.label} in the kernel (${cuts.length} links, ${rules.length} iptables rules)`, injectedAt: Date.now(), heal };
  },
} satisfies FaultKind<unknown>;
export default partitionKernel;
