// Where a service names another one: a URL in its environment (`postgresql://u:p@pg-a:5432,pg-b/db`),
// a `host:port`, a bare service name with its port beside it (`--replicaof redis-master 6379`, or
// PRIMARY_HOST=pg-a next to PRIMARY_PORT=5432), or none (the server's usual port). Each reference
// says where it was found, so `wrap --check` can show why a link exists.

export interface Reference {
  server: string;
  /** Undefined: the server's usual port decides. */
  port?: number;
  /** Where it was found, e.g. `env DATABASE_URL`, `command`. */
  source: string;
  /** From a URL's user info and path: a login the observers may use on that server. */
  login?: { user: string; password: string; database?: string };
}

const SCHEME_PORTS: Record<string, number> = {
  postgres: 5432, postgresql: 5432, redis: 6379, rediss: 6379, http: 80, https: 443, mysql: 3306, mongodb: 27017, amqp: 5672, nats: 4222,
};

const URL_RE = /([a-z][a-z0-9+.-]*):\/\/(?:([^@/\s:]*)(?::([^@/\s]*))?@)?([^/\s?#]+)(\/[^\s?#]*)?/gi;

function urlReferences(text: string, services: Map<string, string>, source: string): { refs: Reference[]; rest: string } {
  const refs: Reference[] = [];
  const rest = text.replace(URL_RE, (_all, scheme: string, user: string | undefined, password: string | undefined, hosts: string, path: string | undefined) => {
    for (const h of hosts.split(',')) {
      const m = /^\[?([^\]]+?)\]?(?::(\d{1,5}))?$/.exec(h);
      if (!m || !services.has(m[1]!)) continue;
      const port = m[2] ? Number(m[2]) : SCHEME_PORTS[scheme.toLowerCase()];
      const database = path?.replace(/^\//, '');
      refs.push({
        server: services.get(m[1]!)!, ...(port ? { port } : {}), source,
        ...(user ? { login: { user: decodeURIComponent(user), password: decodeURIComponent(password ?? ''), ...(database ? { database } : {}) } } : {}),
      });
    }
    return ' ';
  });
  return { refs, rest };
}

/** Every reference to another service in one string; `nextPort` is the port a bare name may take from beside it. */
function textReferences(text: string, services: Map<string, string>, source: string, nextPort?: number): Reference[] {
  const { refs, rest } = urlReferences(text, services, source);
  const tokens = rest.split(/[\s,;='"]+/).filter(Boolean);
  tokens.forEach((tok, i) => {
    const hp = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(\d{1,5})$/.exec(tok);
    if (hp && services.has(hp[1]!)) refs.push({ server: services.get(hp[1]!)!, port: Number(hp[2]), source });
    else if (services.has(tok)) {
      const next = tokens[i + 1];
      const port = next && /^\d{1,5}$/.test(next) ? Number(next) : nextPort;
      refs.push({ server: services.get(tok)!, ...(port ? { port } : {}), source });
    }
  });
  return refs;
}

/** References in a service's environment, command and entrypoint to the other services, by any name of `names` (name -> service: its own, aliases, hostname). */
export function findReferences(self: string, svc: { environment: Record<string, string | null>; command?: string[] | null | undefined; entrypoint?: string[] | null | undefined }, names: Map<string, string>): Reference[] {
  const others = new Map([...names].filter(([, s]) => s !== self));
  const refs: Reference[] = [];
  for (const [key, value] of Object.entries(svc.environment)) {
    if (!value) continue;
    // PRIMARY_HOST=pg-a beside PRIMARY_PORT=5432.
    const stem = /^(.*?)_?(HOST|HOSTNAME|ADDR|ADDRESS|SERVER)$/i.exec(key)?.[1];
    const portVar = stem !== undefined ? svc.environment[`${stem}${stem ? '_' : ''}PORT`] : undefined;
    refs.push(...textReferences(value, others, `env ${key}`, portVar && /^\d{1,5}$/.test(portVar) ? Number(portVar) : undefined));
  }
  for (const field of ['entrypoint', 'command'] as const) {
    const argv = svc[field];
    if (argv?.length) refs.push(...textReferences(argv.join(' '), others, field));
  }
  return refs;
}
