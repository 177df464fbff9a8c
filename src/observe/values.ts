// Each source's raw answer mapped to the value an Observation carries. Pure, so the mapping is
// tested without a mesh; the sources only fetch.

/** Unreachable, refused, timed out or answering errors: the node cannot tell us anything. */
export const DOWN = 'down';

const PRIMARY_ROLES = new Set(['leader', 'master', 'primary']);
// standby_leader leads a standby cluster: it replays, it does not take writes.
const REPLICA_ROLES = new Set(['replica', 'sync_standby', 'standby_leader']);

/** A Patroni role name as primary / replica; any other role passes through as it is. */
export function patroniRole(role: unknown): string {
  if (typeof role !== 'string' || role === '') return 'unknown';
  if (PRIMARY_ROLES.has(role)) return 'primary';
  if (REPLICA_ROLES.has(role)) return 'replica';
  return role;
}

/**
 * GET /patroni: the member's own belief. When its Postgres is not running the state ("stopped",
 * "starting", "crashed") is the value, so a dead Postgres under a live Patroni is never "primary".
 */
export function patroniValue(body: unknown): string {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { role?: unknown; state?: unknown };
  if (typeof b.state === 'string' && b.state !== 'running') return b.state;
  return patroniRole(b.role);
}

/** A Patroni primary's timeline (GET /patroni or its member key): promotions raise it, so it orders primaries. */
export function patroniEpoch(body: unknown): number | undefined {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { timeline?: unknown };
  return patroniValue(body) === 'primary' && typeof b.timeline === 'number' && Number.isInteger(b.timeline) ? b.timeline : undefined;
}

/**
 * A Patroni member key in the DCS (JSON the member writes itself, with the same state/role fields as
 * GET /patroni); null when the key is gone: its lease expired, no heartbeat for a whole ttl.
 */
export function patroniMemberValue(json: string | null): { value: string; epoch?: number } {
  if (json === null) return { value: DOWN };
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    return { value: 'unknown' };
  }
  const epoch = patroniEpoch(body);
  return { value: patroniValue(body), ...(epoch !== undefined ? { epoch } : {}) };
}

/** Patroni's leader key holds the leader's member name; a deleted (expired) key means no leader. */
export const dcsLeaderValue = (value: string | null): string => (value === null || value.trim() === '' ? 'none' : value.trim());

/**
 * HAProxy's stats CSV (`;csv`): the servers that are UP in the proxy that routes to the store's
 * members, named by member ("UP 1/2" is still UP: one failed check of `fall 2`), sorted and
 * joined by "+" when more than one; "none" when none is. The proxy is the first one with a
 * server named after a member; without members given, the first one with servers.
 */
export function haproxyValue(csv: string, members: readonly string[] = []): string {
  const lines = csv.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const header = lines[0]?.replace(/^#\s*/, '').split(',');
  const col = (name: string) => header?.indexOf(name) ?? -1;
  const [px, sv, st] = [col('pxname'), col('svname'), col('status')];
  if (px < 0 || sv < 0 || st < 0) throw new Error('not an HAProxy stats CSV (no pxname, svname, status columns)');
  const servers = lines.slice(1).map((l) => l.split(',')).map((c) => ({ proxy: c[px] ?? '', name: c[sv] ?? '', status: c[st] ?? '' }))
    .filter((s) => s.name !== 'FRONTEND' && s.name !== 'BACKEND');
  const proxy = (servers.find((s) => members.includes(s.name)) ?? servers[0])?.proxy;
  const up = servers.filter((s) => s.proxy === proxy && /^UP\b/.test(s.status)).map((s) => s.name).sort();
  return up.length ? up.join('+') : 'none';
}

/** SELECT pg_is_in_recovery(): a server in recovery replays WAL and refuses writes. */
export const recoveryValue = (inRecovery: boolean): string => (inRecovery ? 'replica' : 'primary');

/** ROLE: ['master', offset, replicas] or ['slave', host, port, state, offset]. */
export function redisRoleValue(reply: unknown): string {
  const role = Array.isArray(reply) ? reply[0] : undefined;
  if (role === 'master') return 'primary';
  if (role === 'slave' || role === 'replica') return 'replica';
  return typeof role === 'string' ? role : 'unknown';
}

/** SENTINEL get-master-addr-by-name: [host, port], or null when the Sentinel knows no such master. */
export function sentinelMasterValue(reply: unknown): string {
  if (Array.isArray(reply) && typeof reply[0] === 'string') return reply[0];
  return 'none';
}

/** GET /readyz: any 2xx is ready; an answer with another status is a live app saying it is not. */
export const readyValue = (status: number): string => (status >= 200 && status < 300 ? 'ready' : 'not-ready');
