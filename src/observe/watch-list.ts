// What to watch on a target, from its node kinds: pure, so a target without some kind simply gets
// no poller for it, and a node missing the port a source needs is reported before anything starts.
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import type { Observation } from '../history/model.ts';

export type Source = Observation['source'];

/** port 0: the source's probe is built by the node's store kind and asks no published port. */
export interface Watch { node: string; source: Source; store?: string; port: number }

/** The sources on a node as its store's kind says (null port: the kind's own probe); undefined: by its node kind. */
export type SourcesOf = (node: string) => readonly (readonly [Source, string | null])[] | undefined;

/** Per node kind: each source that watches it and the published port it asks. */
export const SOURCES_BY_KIND: Record<string, readonly (readonly [Source, string])[]> = {
  postgres: [['patroni', 'patroni'], ['pg-recovery', 'postgres']],
  redis: [['redis-role', 'redis']],
  sentinel: [['sentinel', 'sentinel']],
  app: [['app-ready', 'http']],
  etcd: [['dcs-leader', 'client']],
  haproxy: [['haproxy', 'stats']],
};

const listed = (v: unknown, node: string): boolean => Array.isArray(v) && v.includes(node);

/** The store a node serves: as a member, a consensus node (a Sentinel watches its Redis) or a write endpoint (an HAProxy). */
export function storeOf(t: Target, node: string): string | undefined {
  const entries = Object.entries(t.stores);
  return (entries.find(([, s]) => s.members.includes(node)) ?? entries.find(([, s]) => listed(s.consensus, node) || listed(s.writeEndpoints, node)))?.[0];
}

/** The Sentinel master name declared by the target's stores, if any. */
export function declaredMasterName(t: Target): string | undefined {
  const name = Object.values(t.stores).map((s) => s.masterName).find((m) => typeof m === 'string');
  return name as string | undefined;
}

export function watchList(t: Target, sourcesOf: SourcesOf = () => undefined): Watch[] {
  const watches: Watch[] = [];
  const problems: ErrorDetail[] = [];
  for (const [node, n] of Object.entries(t.nodes)) {
    for (const [source, portName] of sourcesOf(node) ?? SOURCES_BY_KIND[n.kind] ?? []) {
      const port = portName === null ? 0 : n.hostPorts[portName];
      if (port === undefined) {
        problems.push({ path: `nodes.${node}.hostPorts.${portName}`, message: `${n.kind} node ${node} publishes no ${portName} port, which the ${source} observer needs`, fix: `publish it on the host and add "${portName}" to its hostPorts` });
        continue;
      }
      const store = storeOf(t, node);
      watches.push({ node, source, port, ...(store ? { store } : {}) });
    }
  }
  if (problems.length) {
    throw new FaultlineError(ErrorCodes.BAD_TARGET, `target ${t.projectName} cannot be observed (${problems.length} missing host port${problems.length > 1 ? 's' : ''})`,
      'observers ask each node directly on its published port, never through Toxiproxy; publish the ports listed above', { details: problems });
  }
  return watches;
}
