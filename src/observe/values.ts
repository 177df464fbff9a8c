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
