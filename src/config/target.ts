// A target: the system under test as the harness sees it. Which compose project, which nodes in
// which zones, which Toxiproxy proxies carry which directed link. The reference mesh ships one
// (services/mesh.json); a user's own compose project is described the same way.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import { packagePath } from '../core/package.ts';

const Port = z.number().int().min(1).max(65535);
const Name = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, and . _ - only');

const NodeSchema = z.object({
  zone: Name,
  kind: z.string().min(1),
  service: z.string().min(1),
  ports: z.record(z.string(), Port),
  hostPorts: z.record(z.string(), Port).default({}),
});

const LinkSchema = z.object({
  id: z.string(),
  from: Name,
  to: Name,
  fromZone: z.string(),
  toZone: z.string(),
  proxies: z.array(z.object({ name: z.string().min(1), port: z.string(), portNumber: Port })).min(1),
});

/** A login the observers use on a store's members (e.g. pg_is_in_recovery()): the target's own, not a built-in one. */
export const CredentialsSchema = z.object({ user: z.string().min(1), password: z.string(), database: z.string().min(1) }).strict();

/** Where a Patroni cluster keeps its keys in the DCS: `<namespace><scope>/leader`, `.../members/<name>`. */
const PatroniDcsSchema = z.object({ scope: z.string().min(1), namespace: z.string().regex(/^\/(.*\/)?$/, 'a path starting and ending with /').default('/service/') }).strict();

const StoreSchema = z.object({
  members: z.array(z.string()).min(1),
  /** How the harness asks it its roles: a store kind (src/stores/); absent, implied by its members' node kinds. */
  kind: z.string().min(1).optional(),
  credentials: CredentialsSchema.optional(),
  patroni: PatroniDcsSchema.optional(),
}).loose();

export const TargetSchema = z.object({
  project: Name,
  composeFile: z.string().min(1),
  /** Compose files laid over it, in order, relative to the target file (what `faultline wrap` writes). */
  composeOverrides: z.array(z.string().min(1)).optional(),
  zones: z.record(z.string(), z.string()),
  toxiproxy: z.object({ service: z.string(), apiHostPort: Port }),
  nodes: z.record(Name, NodeSchema),
  externalClient: z.object({ name: Name, hostPorts: z.record(z.string(), Port) }).optional(),
  stores: z.record(z.string(), StoreSchema).default({}),
  links: z.array(LinkSchema),
});

export type TargetFile = z.infer<typeof TargetSchema>;
export type TargetNode = z.infer<typeof NodeSchema> & { name: string };
export type Link = z.infer<typeof LinkSchema>;
export type StoreCredentials = z.infer<typeof CredentialsSchema>;
export type Store = z.infer<typeof StoreSchema>;

export interface Target extends TargetFile {
  /** Absolute path of the compose file. */
  composePath: string;
  /** Absolute paths of the files laid over it (composeOverrides). */
  composeOverridePaths: string[];
  /** Host address the published ports are bound to (FAULTLINE_BIND, default 127.0.0.1). */
  host: string;
  /** Compose project name actually used (FAULTLINE_PROJECT overrides the file's). */
  projectName: string;
  toxiproxyUrl: string;
}

/** The reference mesh this copy of faultline ships (a checkout's, or the installed package's). */
export const referenceTargetPath = (): string => packagePath('services', 'mesh.json');

/** Rules zod cannot express: references between nodes, zones, links and proxies. */
function crossCheck(t: TargetFile): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const nodeNames = new Set(Object.keys(t.nodes));
  const zoneNames = new Set(Object.keys(t.zones));
  for (const [name, n] of Object.entries(t.nodes)) {
    if (!zoneNames.has(n.zone)) problems.push({ path: `nodes.${name}.zone`, message: `zone "${n.zone}" is not declared`, fix: `add it to zones, or use one of: ${[...zoneNames].join(', ')}` });
  }
  const proxyNames = new Set<string>();
  t.links.forEach((l, i) => {
    const client = t.externalClient?.name;
    if (!nodeNames.has(l.from) && l.from !== client) problems.push({ path: `links[${i}].from`, message: `node "${l.from}" is not declared`, fix: 'declare it under nodes' });
    if (!nodeNames.has(l.to)) problems.push({ path: `links[${i}].to`, message: `node "${l.to}" is not declared`, fix: 'declare it under nodes' });
    // The link's zones must be its nodes' zones: status groups by the first, partitions cut by the second.
    const zoneOf = (n: string) => t.nodes[n]?.zone ?? (n === client ? 'external' : undefined);
    for (const [end, field] of [[l.from, 'fromZone'], [l.to, 'toZone']] as const) {
      const z = zoneOf(end);
      if (z !== undefined && l[field] !== z) problems.push({ path: `links[${i}].${field}`, message: `"${l[field]}" but ${end} is in zone "${z}"`, fix: `write "${z}"` });
    }
    const server = t.nodes[l.to];
    l.proxies.forEach((p, k) => {
      if (proxyNames.has(p.name)) problems.push({ path: `links[${i}].proxies`, message: `proxy "${p.name}" carries two links`, fix: 'give every directed link its own proxy' });
      proxyNames.add(p.name);
      if (server && server.ports[p.port] !== p.portNumber) {
        problems.push({ path: `links[${i}].proxies[${k}]`, message: `port "${p.port}" = ${p.portNumber}, but ${l.to} declares ${server.ports[p.port] === undefined ? 'no such port' : `${p.port} = ${server.ports[p.port]}`}`, fix: `use one of ${l.to}'s ports: ${Object.entries(server.ports).map(([n, v]) => `${n} = ${v}`).join(', ')}` });
      }
    });
  });
  for (const [store, s] of Object.entries(t.stores)) {
    s.members.forEach((m, i) => {
      if (!nodeNames.has(m)) problems.push({ path: `stores.${store}.members[${i}]`, message: `node "${m}" is not declared`, fix: 'declare it under nodes' });
    });
  }
  return problems;
}

/** The store kinds' own rules (config sits below them: the stores layer hands them in, as src/stores/target.ts does). */
export type StoreChecker = (t: TargetFile) => ErrorDetail[];

export function parseTarget(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env, checkStores?: StoreChecker): Target {
  const parsed = TargetSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new FaultlineError(ErrorCodes.BAD_TARGET, `target ${source} is not valid (${details.length} problem${details.length > 1 ? 's' : ''})`, 'correct each field listed above', { details });
  }
  const problems = crossCheck(parsed.data);
  if (!problems.length && checkStores) problems.push(...checkStores(parsed.data));
  if (problems.length) {
    throw new FaultlineError(ErrorCodes.BAD_TARGET, `target ${source} is inconsistent (${problems.length} problem${problems.length > 1 ? 's' : ''})`, 'correct each field listed above', { details: problems });
  }
  const host = env.FAULTLINE_BIND ?? '127.0.0.1';
  return Object.freeze({
    ...parsed.data,
    composePath: resolve(dirname(source), parsed.data.composeFile),
    composeOverridePaths: (parsed.data.composeOverrides ?? []).map((f) => resolve(dirname(source), f)),
    host,
    projectName: env.FAULTLINE_PROJECT ?? parsed.data.project,
    toxiproxyUrl: `http://${host}:${parsed.data.toxiproxy.apiHostPort}`,
  });
}

export function loadTarget(path: string = referenceTargetPath(), env: NodeJS.ProcessEnv = process.env, checkStores?: StoreChecker): Target {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new FaultlineError(ErrorCodes.BAD_TARGET, `cannot read target ${path}: ${(cause as Error).message}`, 'pass the path of a target JSON file (the reference mesh is services/mesh.json)', { cause });
  }
  return parseTarget(raw, path, env, checkStores);
}

export const nodeList = (t: Target): TargetNode[] => Object.entries(t.nodes).map(([name, n]) => ({ name, ...n }));

export function findLink(t: Target, from: string, to: string): Link {
  const link = t.links.find((l) => l.from === from && l.to === to);
  if (!link) {
    const known = t.links.filter((l) => l.from === from).map((l) => l.to);
    throw new FaultlineError(ErrorCodes.UNKNOWN_LINK, `no link ${from} -> ${to} in target ${t.projectName}`,
      known.length ? `${from} connects to: ${known.join(', ')}` : `"${from}" is not a client in this target; see the links in its target file`);
  }
  return link;
}
