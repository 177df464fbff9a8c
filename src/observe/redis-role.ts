// Source "redis-role": ROLE on each Redis, the server's own belief (a master Sentinel has already
// demoted still says "master" until it hears so).
import type { Probe } from './poller.ts';
import { RedisLink } from './redis-link.ts';
import { redisRoleValue } from './values.ts';

export function redisRoleProbe(host: string, port: number, timeoutMs: number): Probe {
  const link = new RedisLink(host, port, timeoutMs);
  return {
    poll: async (signal) => redisRoleValue(await link.call(signal, 'ROLE')),
    connected: () => link.connected(),
    close: () => link.close(),
  };
}
