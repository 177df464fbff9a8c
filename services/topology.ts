// The reference mesh as data: nodes, zones, ports and who connects to whom.
// `npm run mesh:generate` turns it into docker-compose.yml, services/toxiproxy/toxiproxy.json and
// services/mesh.json (the link map the harness reads). Edit this file, not the generated ones.

export type Kind = 'etcd' | 'postgres' | 'haproxy' | 'redis' | 'sentinel' | 'app';

export interface NodeSpec {
  name: string;
  zone: string;
  kind: Kind;
  /** Named listening ports. Every port is unique across the mesh, so one Toxiproxy address per
   *  client network can stand for any server (see services/README.md, "How links work"). */
  ports: Record<string, number>;
}

export const zones = {
  a: 'zone a: primary-side data centre',
  b: 'zone b: replica-side data centre',
  c: 'zone c: witness (quorum members only)',
} as const;

export const nodes: NodeSpec[] = [
  { name: 'etcd-a', zone: 'a', kind: 'etcd', ports: { client: 2379, peer: 2380 } },
  { name: 'etcd-b', zone: 'b', kind: 'etcd', ports: { client: 2479, peer: 2480 } },
  { name: 'etcd-c', zone: 'c', kind: 'etcd', ports: { client: 2579, peer: 2580 } },
  { name: 'pg-a', zone: 'a', kind: 'postgres', ports: { postgres: 5432, patroni: 8008 } },
  { name: 'pg-b', zone: 'b', kind: 'postgres', ports: { postgres: 5433, patroni: 8009 } },
  { name: 'haproxy-a', zone: 'a', kind: 'haproxy', ports: { postgres: 5000, stats: 7000 } },
  { name: 'haproxy-b', zone: 'b', kind: 'haproxy', ports: { postgres: 5001, stats: 7001 } },
  { name: 'redis-a', zone: 'a', kind: 'redis', ports: { redis: 6379 } },
  { name: 'redis-b', zone: 'b', kind: 'redis', ports: { redis: 6380 } },
  // The fencing witness: a replica that is never promoted (replica-priority 0), so that a master
  // keeps a replica to count for min-replicas-to-write after a failover (services/README.md, "Fencing").
  { name: 'redis-c', zone: 'c', kind: 'redis', ports: { redis: 6381 } },
  { name: 'sentinel-a', zone: 'a', kind: 'sentinel', ports: { sentinel: 26379 } },
  { name: 'sentinel-b', zone: 'b', kind: 'sentinel', ports: { sentinel: 26380 } },
  { name: 'sentinel-c', zone: 'c', kind: 'sentinel', ports: { sentinel: 26381 } },
  { name: 'app-a', zone: 'a', kind: 'app', ports: { http: 3000 } },
  { name: 'app-b', zone: 'b', kind: 'app', ports: { http: 3001 } },
];

/** The workload generator on the host: a client outside every zone. */
export const EXTERNAL_CLIENT = 'client';

/** Host port rules: every node port P is published directly (bypassing Toxiproxy, for observers)
 *  on 127.0.0.1:(P + DIRECT_OFFSET); the external client's links to the apps go through Toxiproxy
 *  on 127.0.0.1:(P + CLIENT_OFFSET). */
export const DIRECT_OFFSET = 10000;
export const CLIENT_OFFSET = 20000;
export const TOXIPROXY_API_PORT = 8474;

const byKind = (kind: Kind): NodeSpec[] => nodes.filter((n) => n.kind === kind);
const others = (self: NodeSpec, kind: Kind): NodeSpec[] => byKind(kind).filter((n) => n.name !== self.name);
const sameZone = (self: NodeSpec, kind: Kind): NodeSpec[] => byKind(kind).filter((n) => n.zone === self.zone);

export interface Connection {
  from: string;
  to: string;
  port: string;
}

/** Who connects to whom. A "link" is one directed client node -> server node pair. */
export function connections(): Connection[] {
  const out: Connection[] = [];
  const add = (from: NodeSpec | string, targets: NodeSpec[], ...ports: string[]): void => {
    for (const to of targets) {
      for (const port of ports) out.push({ from: typeof from === 'string' ? from : from.name, to: to.name, port });
    }
  };
  for (const n of nodes) {
    switch (n.kind) {
      case 'etcd':
        add(n, others(n, 'etcd'), 'peer');
        break;
      case 'postgres':
        add(n, byKind('etcd'), 'client'); // Patroni's DCS
        add(n, others(n, 'postgres'), 'postgres', 'patroni'); // replication, pg_rewind, leader race
        break;
      case 'haproxy':
        add(n, byKind('postgres'), 'postgres', 'patroni'); // data and OPTIONS /primary checks
        break;
      case 'redis':
        // Replication: a member follows the other members; the witness follows whichever is master.
        add(n, others(n, 'redis').filter((x) => !REDIS_WITNESSES.includes(x.name)), 'redis');
        break;
      case 'sentinel':
        add(n, byKind('redis'), 'redis');
        add(n, others(n, 'sentinel'), 'sentinel');
        break;
      case 'app':
        add(n, sameZone(n, 'haproxy'), 'postgres');
        add(n, byKind('sentinel'), 'sentinel');
        add(n, byKind('redis').filter((x) => !REDIS_WITNESSES.includes(x.name)), 'redis'); // masters only
        break;
    }
  }
  add(EXTERNAL_CLIENT, byKind('app'), 'http');
  return out;
}

/** Redis nodes that replicate but are never promoted (and are no store member): zone c's witness. */
export const REDIS_WITNESSES: readonly string[] = ['redis-c'];

/**
 * Redis fencing (services/README.md, "Fencing"): a master takes writes only while at least
 * MIN_REPLICAS_TO_WRITE replicas acknowledged its stream within MAX_LAG seconds.
 */
export const REDIS_FENCING = { minReplicasToWrite: 1, minReplicasMaxLagS: 2 } as const;

/** The app's Postgres login (post-bootstrap.sh creates it); observers log in with it too. */
export const PG_APP_LOGIN = { user: 'app', password: 'app', database: 'app' } as const;

/** Store groups the harness judges: who may be primary, and the quorum groups behind them.
 *  `patroni` says where Patroni keeps its keys in etcd (services/postgres/patroni.yml). */
export const stores = {
  postgres: {
    members: ['pg-a', 'pg-b'], writeEndpoints: ['haproxy-a', 'haproxy-b'], consensus: ['etcd-a', 'etcd-b', 'etcd-c'],
    credentials: PG_APP_LOGIN, patroni: { scope: 'faultline', namespace: '/service/' },
  },
  redis: { members: ['redis-a', 'redis-b'], consensus: ['sentinel-a', 'sentinel-b', 'sentinel-c'], masterName: 'mymaster' },
} as const;
