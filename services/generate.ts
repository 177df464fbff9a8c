// Generates the mesh's wiring from services/topology.ts:
//   docker-compose.yml, services/toxiproxy/toxiproxy.json, services/haproxy/haproxy.cfg, services/mesh.json.
// Run `npm run mesh:generate` after editing the topology; test/unit/generated.test.ts fails when the
// committed files are stale.
//
// How a link works: every node sits alone on its own network `n-<node>`. Toxiproxy joins all of
// them; on `n-X` it answers to the names of the servers X may reach, and listens on
// `via-X:<port>`. Server ports are unique across the mesh, so `redis-b:6380` seen from X is the
// proxy `X--redis-b--redis`, and the same name seen from Y is a different proxy. Real nodes are
// reachable only from Toxiproxy, as `origin-<node>`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import {
  CLIENT_OFFSET, DIRECT_OFFSET, EXTERNAL_CLIENT, REDIS_FENCING, REDIS_WITNESSES, TOXIPROXY_API_PORT,
  connections, nodes, stores, zones, type NodeSpec,
} from './topology.ts';

const PROJECT = 'faultline';
const BIND = '${FAULTLINE_BIND:-127.0.0.1}';
// The stack is chosen when compose reads the file. Defaults: Patroni from PyPI with the stale-etcd
// fix (patroni/patroni#3318) and etcd with pre-vote. FAULTLINE_PATRONI=3.0.2 (Debian's package,
// its own image tag) and FAULTLINE_ETCD_PRE_VOTE=false give the stack that loses acknowledged
// writes in experiments/postmortems/etcd-stale-leader.ts (services/README.md, "Stale etcd leader key").
const PATRONI = '${FAULTLINE_PATRONI:-4.1.5}';
const ETCD_PRE_VOTE = '${FAULTLINE_ETCD_PRE_VOTE:-true}';

const node = (name: string): NodeSpec => {
  const n = nodes.find((x) => x.name === name);
  if (!n) throw new Error(`unknown node ${name}`);
  return n;
};
const port = (name: string, p: string): number => {
  const v = node(name).ports[p];
  if (v === undefined) throw new Error(`node ${name} has no port ${p}`);
  return v;
};

export interface ProxyDef { name: string; listen: string; upstream: string; enabled: boolean }
export interface LinkDef { id: string; from: string; to: string; fromZone: string; toZone: string; proxies: { name: string; port: string; portNumber: number }[] }

export function proxies(): ProxyDef[] {
  return connections().map((c) => {
    const p = port(c.to, c.port);
    const listen = c.from === EXTERNAL_CLIENT ? `0.0.0.0:${p + CLIENT_OFFSET}` : `via-${c.from}:${p}`;
    return { name: `${c.from}--${c.to}--${c.port}`, listen, upstream: `origin-${c.to}:${p}`, enabled: true };
  });
}

export function links(): LinkDef[] {
  const out = new Map<string, LinkDef>();
  for (const c of connections()) {
    const id = `${c.from}->${c.to}`;
    let l = out.get(id);
    if (!l) {
      const fromZone = c.from === EXTERNAL_CLIENT ? 'external' : node(c.from).zone;
      l = { id, from: c.from, to: c.to, fromZone, toZone: node(c.to).zone, proxies: [] };
      out.set(id, l);
    }
    l.proxies.push({ name: `${c.from}--${c.to}--${c.port}`, port: c.port, portNumber: port(c.to, c.port) });
  }
  return [...out.values()];
}

const hostPort = (p: number): number => p + DIRECT_OFFSET;
const etcdCluster = (): string =>
  nodes.filter((n) => n.kind === 'etcd').map((n) => `${n.name}=http://${n.name}:${n.ports.peer}`).join(',');
const list = (kind: string, p: string): string =>
  nodes.filter((n) => n.kind === kind).map((n) => `${n.name}:${n.ports[p]}`).join(',');
const health = (test: string[], interval = '2s') => ({ test, interval, timeout: '3s', retries: 60 });

function serviceFor(n: NodeSpec): Record<string, unknown> {
  const p = n.ports;
  const base: Record<string, unknown> = {
    image: `faultline/${n.kind === 'sentinel' ? 'redis' : n.kind}:local`,
    build: { context: `./services/${n.kind === 'sentinel' ? 'redis' : n.kind}` },
    hostname: n.name,
    init: true,
    labels: { 'io.faultline.node': n.name, 'io.faultline.zone': n.zone, 'io.faultline.kind': n.kind },
    networks: { [`n-${n.name}`]: { aliases: [`origin-${n.name}`] } },
    ports: Object.values(p).map((v) => `${BIND}:${hostPort(v)}:${v}`),
    depends_on: { toxiproxy: { condition: 'service_healthy' } },
    stop_grace_period: '5s',
  };
  switch (n.kind) {
    case 'etcd':
      return {
        ...base,
        environment: {
          ETCD_NAME: n.name,
          ETCD_DATA_DIR: '/var/lib/etcd/data',
          ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${p.client}`,
          ETCD_ADVERTISE_CLIENT_URLS: `http://${n.name}:${p.client}`,
          ETCD_LISTEN_PEER_URLS: `http://0.0.0.0:${p.peer}`,
          ETCD_INITIAL_ADVERTISE_PEER_URLS: `http://${n.name}:${p.peer}`,
          ETCD_INITIAL_CLUSTER: etcdCluster(),
          ETCD_INITIAL_CLUSTER_STATE: 'new',
          ETCD_INITIAL_CLUSTER_TOKEN: PROJECT,
          // A member cut off from the others does not raise its term by failed elections, so at
          // the heal it does not depose the leader (services/README.md, "Stale etcd leader key").
          ETCD_PRE_VOTE: ETCD_PRE_VOTE,
          ETCDCTL_ENDPOINTS: `http://127.0.0.1:${p.client}`,
        },
        volumes: [`${n.name}:/var/lib/etcd`],
        // On SIGTERM the Raft leader tries to hand over to peers that `down` is stopping too;
        // its log is fsynced, so cutting that wait short loses nothing.
        stop_grace_period: '2s',
        healthcheck: health(['CMD', 'etcdctl', 'endpoint', 'health', '--command-timeout=2s']),
      };
    case 'postgres':
      return {
        ...base,
        image: `faultline/postgres:patroni-${PATRONI}`,
        build: { ...(base.build as object), args: { PATRONI_VERSION: PATRONI } },
        environment: {
          PATRONI_NAME: n.name,
          PATRONI_RESTAPI_LISTEN: `0.0.0.0:${p.patroni}`,
          PATRONI_RESTAPI_CONNECT_ADDRESS: `${n.name}:${p.patroni}`,
          PATRONI_POSTGRESQL_LISTEN: `0.0.0.0:${p.postgres}`,
          PATRONI_POSTGRESQL_CONNECT_ADDRESS: `${n.name}:${p.postgres}`,
          PATRONI_ETCD3_HOSTS: list('etcd', 'client'),
        },
        volumes: [`${n.name}:/var/lib/postgresql/data`],
        healthcheck: health(['CMD', 'patroni-health', String(p.patroni)]),
      };
    case 'haproxy':
      return {
        ...base,
        environment: { HAPROXY_PORT: String(p.postgres), HAPROXY_STATS_PORT: String(p.stats) },
        volumes: ['./services/haproxy/haproxy.cfg:/etc/haproxy/haproxy.cfg:ro'],
        healthcheck: health(['CMD', 'haproxy-health']),
      };
    case 'redis': {
      const master = node(stores.redis.members[0]);
      return {
        ...base,
        environment: {
          REDIS_PORT: String(p.redis),
          REDIS_ANNOUNCE_HOST: n.name,
          REDIS_REPLICAOF: n.name === master.name ? '' : `${master.name} ${master.ports.redis}`,
          REDIS_PEERS: stores.redis.members.filter((m) => m !== n.name).map((m) => `${m}:${node(m).ports.redis}`).join(','),
          REDIS_MIN_REPLICAS_TO_WRITE: String(REDIS_FENCING.minReplicasToWrite),
          REDIS_MIN_REPLICAS_MAX_LAG: String(REDIS_FENCING.minReplicasMaxLagS),
          ...(REDIS_WITNESSES.includes(n.name) ? { REDIS_REPLICA_PRIORITY: '0' } : {}),
        },
        command: ['redis-node'],
        volumes: [`${n.name}:/data`],
        healthcheck: health(['CMD', 'redis-health', String(p.redis)]),
      };
    }
    case 'sentinel': {
      const master = node(stores.redis.members[0]);
      return {
        ...base,
        environment: {
          SENTINEL_PORT: String(p.sentinel),
          SENTINEL_ANNOUNCE_HOST: n.name,
          SENTINEL_MASTER_NAME: stores.redis.masterName,
          SENTINEL_MASTER: `${master.name} ${master.ports.redis}`,
        },
        command: ['sentinel-node'],
        volumes: [`${n.name}:/data`],
        healthcheck: health(['CMD', 'sentinel-health', String(p.sentinel), stores.redis.masterName]),
      };
    }
    case 'app': {
      const haproxy = nodes.find((h) => h.kind === 'haproxy' && h.zone === n.zone);
      if (!haproxy) throw new Error(`no haproxy in zone ${n.zone}`);
      return {
        ...base,
        environment: {
          NODE_NAME: n.name,
          ZONE: n.zone,
          PORT: String(p.http),
          PGHOST: haproxy.name,
          PGPORT: String(haproxy.ports.postgres),
          PGUSER: stores.postgres.credentials.user,
          PGPASSWORD: stores.postgres.credentials.password,
          PGDATABASE: stores.postgres.credentials.database,
          REDIS_SENTINELS: list('sentinel', 'sentinel'),
          REDIS_MASTER_NAME: stores.redis.masterName,
        },
        healthcheck: health(['CMD', 'node', 'healthcheck.ts', String(p.http)]),
      };
    }
  }
}

export function compose(): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  const clientPorts = connections().filter((c) => c.from === EXTERNAL_CLIENT).map((c) => port(c.to, c.port) + CLIENT_OFFSET);
  const toxiNetworks: Record<string, unknown> = {};
  for (const n of nodes) {
    const servers = [...new Set(connections().filter((c) => c.from === n.name).map((c) => c.to))];
    toxiNetworks[`n-${n.name}`] = { aliases: [`via-${n.name}`, ...servers] };
  }
  services.toxiproxy = {
    image: 'ghcr.io/shopify/toxiproxy:2.12.0',
    command: ['-host=0.0.0.0', '-config=/etc/toxiproxy.json'],
    // 2.12 logs every proxied write at trace level: noise, and CPU stolen from the system under test.
    environment: { LOG_LEVEL: 'info' },
    labels: { 'io.faultline.node': 'toxiproxy', 'io.faultline.kind': 'toxiproxy' },
    volumes: ['./services/toxiproxy/toxiproxy.json:/etc/toxiproxy.json:ro'],
    ports: [`${BIND}:${TOXIPROXY_API_PORT + DIRECT_OFFSET}:${TOXIPROXY_API_PORT}`, ...clientPorts.map((p) => `${BIND}:${p}:${p}`)],
    networks: toxiNetworks,
    healthcheck: health(['CMD', '/toxiproxy-cli', 'list'], '1s'),
    // Toxiproxy dials a link's upstream inside its accept loop: while a killed node's address is
    // silent, one dial holds every new connection on that link for the kernel's connect timeout
    // (6 SYN retries, ~127 s; a restarted node was reached ~31 s late). One retry bounds a dial to
    // ~3 s, so a restarted node is reachable through its links within seconds of being up.
    sysctls: { 'net.ipv4.tcp_syn_retries': '1' },
    // Stateless; its graceful shutdown waits on held connections for nothing.
    stop_grace_period: '1s',
  };
  for (const n of nodes) services[n.name] = serviceFor(n);
  const networks = Object.fromEntries(nodes.map((n) => [`n-${n.name}`, { labels: { 'io.faultline.network': n.name } }]));
  const volumes = Object.fromEntries(nodes.filter((n) => n.kind !== 'haproxy' && n.kind !== 'app').map((n) => [n.name, {}]));
  return { name: PROJECT, services, networks, volumes };
}

function haproxyCfg(): string {
  const servers = nodes.filter((n) => n.kind === 'postgres')
    .map((n) => `  server ${n.name} ${n.name}:${n.ports.postgres} check port ${n.ports.patroni}`).join('\n');
  return `# Generated by services/generate.ts from services/topology.ts. Timings: see services/README.md.
global
  maxconn 2000
  log stdout format raw local0 notice

defaults
  log global
  mode tcp
  option tcplog
  timeout connect 2s
  timeout check 1s
  timeout client 10m
  timeout server 10m

# Writes go to whichever node answers Patroni's OPTIONS /primary with 200; /health only means
# "Postgres runs" and would happily route writes to a replica.
listen postgres
  bind "*:\${HAPROXY_PORT}"
  option httpchk OPTIONS /primary
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions init-addr last,libc,none resolvers docker
${servers}

listen stats
  mode http
  bind "*:\${HAPROXY_STATS_PORT}"
  stats enable
  stats uri /
  stats refresh 5s

resolvers docker
  nameserver dns 127.0.0.11:53
  hold valid 1s
`;
}

export function meshMap(): Record<string, unknown> {
  return {
    $comment: 'Generated by services/generate.ts from services/topology.ts: the link map the harness reads.',
    project: PROJECT,
    composeFile: '../docker-compose.yml',
    zones,
    toxiproxy: { service: 'toxiproxy', apiHostPort: TOXIPROXY_API_PORT + DIRECT_OFFSET },
    hostPortRules: { directOffset: DIRECT_OFFSET, clientOffset: CLIENT_OFFSET },
    nodes: Object.fromEntries(nodes.map((n) => [n.name, {
      zone: n.zone, kind: n.kind, service: n.name, ports: n.ports,
      hostPorts: Object.fromEntries(Object.entries(n.ports).map(([k, v]) => [k, hostPort(v)])),
    }])),
    externalClient: {
      name: EXTERNAL_CLIENT,
      hostPorts: Object.fromEntries(connections().filter((c) => c.from === EXTERNAL_CLIENT).map((c) => [c.to, port(c.to, c.port) + CLIENT_OFFSET])),
    },
    stores,
    links: links(),
  };
}

const header = '# Generated by services/generate.ts from services/topology.ts; edit those, then run `npm run mesh:generate`.\n';

export function renderAll(): Record<string, string> {
  return {
    'docker-compose.yml': header + stringify(compose(), { lineWidth: 0 }),
    'services/toxiproxy/toxiproxy.json': JSON.stringify(proxies(), null, 2) + '\n',
    'services/haproxy/haproxy.cfg': haproxyCfg(),
    'services/mesh.json': JSON.stringify(meshMap(), null, 2) + '\n',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const [file, text] of Object.entries(renderAll())) {
    writeFileSync(join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
