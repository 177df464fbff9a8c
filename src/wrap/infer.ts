// From the compose config and the answers: each service as a node (zone, kind, the ports others
// reach it on), every directed link between them with the evidence for it, and the stores. What
// cannot be inferred is a problem naming the service and the flag or answer field that settles it,
// every one at once, before anything is written.
import type { ErrorDetail } from '../core/errors.ts';
import type { StoreCredentials } from '../config/target.ts';
import type { Answers } from './answers.ts';
import type { ComposeConfig, ComposeService } from './compose-config.ts';
import { findReferences, type Reference } from './references.ts';

export interface WrapNode { name: string; zone: string; kind: string; kindFrom: string; ports: Map<number, string>; /** Its other names on the user's networks (aliases, hostname, container_name): Toxiproxy answers to them too. */ aliases: string[] }
export interface WrapLink { from: string; to: string; port: number; sources: string[] }
export interface WrapStore { name: string; kind: string; members: string[]; credentials?: StoreCredentials; extra: Record<string, unknown> }
export interface WrapModel {
  project: string; nodes: WrapNode[]; links: WrapLink[]; stores: WrapStore[]; published: Map<string, number[]>; usedHostPorts: Set<number>;
  /** A depends_on on a server with no port to tell: not wired (a one-shot job, a worker), shown by --check. */
  unwired: { from: string; to: string; source: string }[];
}

/** Kinds wrap knows by name, with the port they serve on and the store kind they make. */
const KINDS: { kind: string; pattern: RegExp; port?: number; store?: string }[] = [
  { kind: 'sentinel', pattern: /sentinel/, port: 26379 },
  { kind: 'postgres', pattern: /postgres|postgis|timescale|(^|[-_/])pg($|[-_])/, port: 5432, store: 'postgres-streaming' },
  { kind: 'redis', pattern: /redis|valkey|keydb/, port: 6379, store: 'redis-replication' },
  { kind: 'etcd', pattern: /etcd/, port: 2379 },
  { kind: 'haproxy', pattern: /haproxy/ },
];
const PORT_NAMES: Record<string, string> = { postgres: 'postgres', redis: 'redis', sentinel: 'sentinel', etcd: 'etcd' };

const kindInfo = (kind: string) => KINDS.find((k) => k.kind === kind);
const lastSegment = (image: string) => image.replace(/[:@].*$/, '').split('/').pop() ?? image;

function guessKind(name: string, svc: ComposeService, serverPorts: number[], isClient: boolean): { kind: string; from: string } | undefined {
  const clues: [string, string | undefined][] = [
    ['image', svc.image ? lastSegment(svc.image) : undefined],
    ['build context', svc.build?.context?.split('/').pop()],
    ['service name', name],
  ];
  for (const [from, clue] of clues) {
    const k = clue && KINDS.find((x) => x.pattern.test(clue.toLowerCase()));
    if (k) return { kind: k.kind, from: `${from} ${clue}` };
  }
  const byPort = KINDS.find((k) => k.port !== undefined && serverPorts.includes(k.port));
  if (byPort) return { kind: byPort.kind, from: `reached on port ${byPort.port}` };
  if (isClient) return { kind: 'app', from: 'connects to other services' };
  return undefined;
}

const flag = (field: string, svc: string, example: string) => `add \`--${field} ${svc}=${example}\`, or \`services.${svc}.${field}: ${example}\` in the answers file`;

export function inferModel(cfg: ComposeConfig, answers: Answers): { model: WrapModel; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const names = Object.keys(cfg.services).sort();
  const all = new Set(names);
  for (const svc of Object.keys(answers.services)) {
    if (!all.has(svc)) problems.push({ path: `services.${svc}`, message: `answers name "${svc}", which is not a service of ${cfg.name}`, fix: `use one of: ${names.join(', ')}` });
  }
  if (all.has(answers.toxiproxy.service)) problems.push({ path: 'toxiproxy.service', message: `"${answers.toxiproxy.service}" is already a service of ${cfg.name}`, fix: 'name wrap\'s Toxiproxy service otherwise: `toxiproxy: { service: … }` in the answers file' });
  for (const name of names) {
    const s = cfg.services[name]!;
    if (s.network_mode) problems.push({ path: name, message: `network_mode "${s.network_mode}": its traffic cannot be given a proxy`, fix: `remove ${name} from the project wrap reads (a profile), or give it networks instead of network_mode` });
    const copies = s.deploy?.replicas ?? s.scale;
    if (copies !== undefined && copies > 1) problems.push({ path: name, message: `${copies} replicas of one service: each would need its own links`, fix: `run one container per service (scale 1), or split ${name} into services` });
  }

  // Every name a client may use for a service: its own, its network aliases, hostname, container_name.
  const byName = new Map(names.map((n) => [n, n]));
  const aliasesOf = new Map(names.map((n) => [n, [] as string[]]));
  for (const n of names) {
    const s = cfg.services[n]!;
    const other = [...Object.values(s.networks).flatMap((x) => x?.aliases ?? []), s.hostname, s.container_name].filter((a): a is string => Boolean(a) && a !== n);
    for (const a of new Set(other)) {
      if (byName.has(a) && byName.get(a) !== n) problems.push({ path: n, message: `the name "${a}" is also ${byName.get(a)}'s`, fix: 'give each service names of its own, or leave one of them out of the project wrap reads' });
      else if (!byName.has(a)) { byName.set(a, n); aliasesOf.get(n)!.push(a); }
    }
  }
  // References first: a service's kind may follow from the port it is reached on.
  const refs = new Map<string, Reference[]>(names.map((n) => [n, findReferences(n, cfg.services[n]!, byName)]));
  for (const [svc, a] of Object.entries(answers.services)) {
    for (const c of a.connects) {
      const [server, port] = c.split(':') as [string, string];
      if (!all.has(server)) problems.push({ path: `services.${svc}.connects`, message: `"${server}" is not a service of ${cfg.name}`, fix: `use one of: ${names.join(', ')}` });
      else refs.get(svc)?.push({ server, port: Number(port), source: 'answers' });
    }
  }
  for (const name of names) {
    for (const dep of Object.keys(cfg.services[name]!.depends_on)) {
      if (all.has(dep) && !refs.get(name)!.some((r) => r.server === dep)) refs.get(name)!.push({ server: dep, source: 'depends_on' });
    }
  }
  const portsSeen = (server: string) => [...refs.values()].flat().filter((r) => r.server === server && r.port !== undefined).map((r) => r.port!);

  const nodes = new Map<string, WrapNode>();
  for (const name of names) {
    const s = cfg.services[name]!;
    const a = answers.services[name];
    const guess = a?.kind ? { kind: a.kind, from: 'answers' } : guessKind(name, s, portsSeen(name), refs.get(name)!.length > 0);
    if (!guess) problems.push({ path: name, message: `cannot tell what ${name} is (image ${s.image ?? 'built'}, no clue in its name, reached on no known port)`, fix: flag('kind', name, 'app') });
    if (!a?.zone) problems.push({ path: name, message: `${name} has no zone`, fix: flag('zone', name, 'a') });
    nodes.set(name, { name, zone: a?.zone ?? '', kind: guess?.kind ?? '', kindFrom: guess?.from ?? '', ports: new Map(), aliases: aliasesOf.get(name)! });
  }

  // Each reference becomes a link on a port: its own, else the server's usual port, else the one port it exposes.
  const links = new Map<string, WrapLink>();
  const unwired: WrapModel['unwired'] = [];
  const addLink = (from: string, to: string, port: number, source: string) => {
    const key = `${from}>${to}>${port}`;
    const l = links.get(key) ?? { from, to, port, sources: [] };
    if (!l.sources.includes(source)) l.sources.push(source);
    links.set(key, l);
  };
  for (const name of names) {
    for (const r of refs.get(name)!) {
      const server = cfg.services[r.server]!;
      const own = [...new Set([...server.ports.map((p) => p.target), ...server.expose.map((e) => Number(String(e).split('/')[0]))])];
      const usual = kindInfo(nodes.get(r.server)!.kind)?.port;
      const port = r.port ?? usual ?? (own.length === 1 ? own[0] : undefined);
      if (port === undefined) {
        // No port: from another reference to that server; else a depends_on is left unwired, and a name the service uses is a question.
        const known = portsSeen(r.server);
        if (known.length) for (const p of new Set(known)) addLink(name, r.server, p, r.source);
        else if (r.source === 'depends_on') unwired.push({ from: name, to: r.server, source: r.source });
        else problems.push({ path: `${name} -> ${r.server}`, message: `${name} reaches ${r.server} (${r.source}), but on which port is not known`, fix: `add \`services.${name}.connects: ["${r.server}:<port>"]\` in the answers file` });
        continue;
      }
      addLink(name, r.server, port, r.source);
    }
  }

  // Stores: the data nodes, grouped by the links between nodes of one kind (a replica reaches its primary), or by the answers.
  const storeOf = new Map<string, string>();
  const groups = new Map<string, string[]>();
  const dataNodes = [...nodes.values()].filter((n) => answers.services[n.name]?.store !== false && (kindInfo(n.kind)?.store || typeof answers.services[n.name]?.store === 'string'));
  const root = new Map(dataNodes.map((n) => [n.name, n.name]));
  const find = (n: string): string => (root.get(n) === n ? n : find(root.get(n)!));
  for (const l of links.values()) {
    if (root.has(l.from) && root.has(l.to) && nodes.get(l.from)!.kind === nodes.get(l.to)!.kind && !answers.services[l.from]?.store && !answers.services[l.to]?.store) root.set(find(l.from), find(l.to));
  }
  for (const n of dataNodes) {
    const named = answers.services[n.name]?.store;
    const key = typeof named === 'string' ? `=${named}` : find(n.name);
    groups.set(key, [...(groups.get(key) ?? []), n.name]);
  }
  const stores: WrapStore[] = [];
  const perKind = new Map<string, number>();
  for (const members of groups.values()) perKind.set(nodes.get(members[0]!)!.kind, (perKind.get(nodes.get(members[0]!)!.kind) ?? 0) + 1);
  for (const [key, members] of groups) {
    members.sort();
    const kind = nodes.get(members[0]!)!.kind;
    const name = key.startsWith('=') ? key.slice(1) : perKind.get(kind) === 1 && !all.has(kind) ? kind : members[0]!;
    const extra = { ...answers.stores[name] };
    const storeKind = (extra.kind as string | undefined) ?? kindInfo(kind)?.store ?? 'generic';
    delete extra.kind;
    let credentials = extra.credentials as StoreCredentials | undefined;
    delete extra.credentials;
    if (!credentials && storeKind === 'postgres-streaming') credentials = credentialsFor(members, cfg, refs);
    if (!credentials && storeKind === 'postgres-streaming') {
      problems.push({ path: `stores.${name}`, message: `no login for ${name}'s observers (no POSTGRES_USER/PASSWORD/DB or PGUSER/PGPASSWORD in ${members.join(', ')}, no URL with a user naming them)`, fix: `add \`stores: { ${name}: { credentials: { user, password, database } } }\` to the answers file (a login with pg_monitor)` });
    }
    for (const m of members) storeOf.set(m, name);
    stores.push({ name, kind: storeKind, members, ...(credentials ? { credentials } : {}), extra });
  }
  for (const name of Object.keys(answers.stores)) {
    if (!stores.some((s) => s.name === name)) problems.push({ path: `stores.${name}`, message: `no store "${name}" was found`, fix: `use one of: ${stores.map((s) => s.name).join(', ') || '(none)'}, or give services \`store: ${name}\`` });
  }

  // Members of one store reach each other both ways: after a failover the old primary streams from the new one.
  for (const s of stores) {
    for (const a of s.members) {
      for (const b of s.members) {
        if (a === b) continue;
        for (const l of [...links.values()].filter((x) => x.from === b && x.to === a)) addLink(a, b, l.port, `store ${s.name}: reverse of ${b} -> ${a}`);
      }
    }
  }

  // Published ports: the host reaches those (a workload through Toxiproxy), and no generated host port may take one.
  const published = new Map<string, number[]>();
  const usedHostPorts = new Set<number>();
  for (const name of names) {
    const ps = cfg.services[name]!.ports;
    if (ps.length && !storeOf.has(name)) published.set(name, [...new Set(ps.map((p) => p.target))].sort((x, y) => x - y));
    for (const p of ps) if (p.published !== undefined) usedHostPorts.add(Number(String(p.published).split('-')[0]));
  }

  // Port names: the kind's own for its usual port, `http` for an app's one port, else p<number>.
  const serverPorts = (n: string) => [...new Set([...[...links.values()].filter((l) => l.to === n).map((l) => l.port), ...(published.get(n) ?? []), ...(storeOf.has(n) && kindInfo(nodes.get(n)!.kind)?.port ? [kindInfo(nodes.get(n)!.kind)!.port!] : [])])].sort((x, y) => x - y);
  for (const n of nodes.values()) {
    const ports = serverPorts(n.name);
    for (const p of ports) {
      const name = kindInfo(n.kind)?.port === p ? PORT_NAMES[n.kind]! : ports.length === 1 && n.kind === 'app' ? 'http' : `p${p}`;
      n.ports.set(p, name);
    }
  }

  const sortedLinks = [...links.values()].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to) || x.port - y.port);
  return { model: { project: cfg.name, nodes: [...nodes.values()], links: sortedLinks, stores, published, usedHostPorts, unwired }, problems };
}

/** A Postgres login: the members' own POSTGRES_* (or PG*) variables, else a client URL's user info naming a member. */
function credentialsFor(members: string[], cfg: ComposeConfig, refs: Map<string, Reference[]>): StoreCredentials | undefined {
  for (const m of members) {
    const env = cfg.services[m]!.environment;
    const password = env.POSTGRES_PASSWORD ?? env.PGPASSWORD;
    // The official image's superuser is `postgres` unless POSTGRES_USER says otherwise.
    const user = env.POSTGRES_USER ?? env.PGUSER ?? (env.POSTGRES_PASSWORD ? 'postgres' : undefined);
    if (user && password !== undefined && password !== null) return { user, password, database: env.POSTGRES_DB ?? env.PGDATABASE ?? user };
  }
  for (const r of [...refs.values()].flat()) {
    if (members.includes(r.server) && r.login) return { user: r.login.user, password: r.login.password, database: r.login.database ?? r.login.user };
  }
  return undefined;
}
