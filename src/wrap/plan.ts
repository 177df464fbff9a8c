// The wiring, from the model: each node alone on its own network with Toxiproxy (as `origin-<node>`),
// and one network per directed link on which Toxiproxy alone answers to the server's name. So a
// client resolving `pg-primary` reaches Toxiproxy's address on that link's network, and only
// through it the real node; two servers on one port (5432 twice) are two addresses, not two ports.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Answers } from './answers.ts';
import type { WrapLink, WrapModel, WrapNode } from './infer.ts';

export interface PlannedProxy { name: string; link: WrapLink; listen: string; upstream: string; portName: string }
export interface PlannedNetwork { name: string; subnet: string; /** the node it is for, or the link */ of: string }
export interface ClientProxy { name: string; node: string; port: number; portName: string; hostPort: number }
export interface WrapPlan {
  model: WrapModel;
  toxiproxy: { service: string; image: string; apiHostPort: number };
  networks: PlannedNetwork[];
  proxies: PlannedProxy[];
  /** The host's own links (a workload), each a Toxiproxy listener published on the host. */
  clientName: string;
  clientProxies: ClientProxy[];
  /** node -> port -> host port, for observers and probes (never through Toxiproxy). */
  hostPorts: Map<string, Map<number, number>>;
}

export const homeNetwork = (node: string) => `fl-${node}`;
export const linkNetwork = (l: { from: string; to: string }) => `fl-${l.from}--${l.to}`;
/** Toxiproxy's own name on a link's network: where that link's proxies listen. */
export const viaAlias = (l: { from: string; to: string }) => `via-${l.from}--${l.to}`;
export const originAlias = (node: string) => `origin-${node}`;

function subnets(cidr: string, count: number): string[] {
  const [ip, bits] = cidr.split('/') as [string, string];
  const base = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  if (count * 16 > size) throw new FaultlineError(ErrorCodes.BAD_INPUT, `${count} networks of 16 addresses do not fit in ${cidr}`, 'give a larger `subnet` (answers file or --subnet), e.g. a /16');
  const start = base - (base % size);
  return Array.from({ length: count }, (_, i) => {
    const n = start + i * 16;
    return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/28`;
  });
}

export function planWiring(model: WrapModel, answers: Answers): WrapPlan {
  const nodeNames = model.nodes.map((n) => n.name);
  const pairs = [...new Map(model.links.map((l) => [linkNetwork(l), { from: l.from, to: l.to }])).values()];
  const names = [...nodeNames.map(homeNetwork), ...pairs.map(linkNetwork)];
  const nets = subnets(answers.subnet, names.length);
  const networks = names.map((name, i) => ({ name, subnet: nets[i]!, of: i < nodeNames.length ? nodeNames[i]! : `${pairs[i - nodeNames.length]!.from} -> ${pairs[i - nodeNames.length]!.to}` }));

  let next = answers.hostPortBase;
  // Not a port the user publishes, nor one Toxiproxy listens on per link (its host listeners are on every address).
  const avoid = new Set([...model.usedHostPorts, ...model.links.map((l) => l.port), 8474]);
  const take = (): number => {
    while (avoid.has(next)) next++;
    if (next > 65535) throw new FaultlineError(ErrorCodes.BAD_INPUT, `no host ports left above ${answers.hostPortBase}`, 'lower `hostPortBase` (answers file or --host-port-base)');
    return next++;
  };
  const apiHostPort = take();
  const node = (n: string): WrapNode => model.nodes.find((x) => x.name === n)!;
  const hostPorts = new Map<string, Map<number, number>>();
  for (const n of model.nodes) hostPorts.set(n.name, new Map([...n.ports.keys()].map((p) => [p, take()])));
  const clientName = nodeNames.includes('client') ? 'faultline-client' : 'client';
  const clientProxies = [...model.published].flatMap(([n, ports]) => ports.map((port) => {
    const portName = node(n).ports.get(port)!;
    return { name: `${clientName}--${n}--${portName}`, node: n, port, portName, hostPort: take() };
  }));
  const proxies = model.links.map((l) => {
    const portName = node(l.to).ports.get(l.port)!;
    return { name: `${l.from}--${l.to}--${portName}`, link: l, listen: `${viaAlias(l)}:${l.port}`, upstream: `${originAlias(l.to)}:${l.port}`, portName };
  });
  return { model, toxiproxy: { service: answers.toxiproxy.service, image: answers.toxiproxy.image, apiHostPort }, networks, proxies, clientName, clientProxies, hostPorts };
}
