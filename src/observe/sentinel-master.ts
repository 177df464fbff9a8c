// Source "sentinel": which master each Sentinel names, the answer a Sentinel-aware client acts on.
// Sentinels can disagree during a failover or a partition; each one is its own series.
import type { Probe } from './poller.ts';
import { RedisLink } from './redis-link.ts';
import { sentinelMasterValue } from './values.ts';

export function sentinelMasterProbe(host: string, port: number, masterName: string, timeoutMs: number): Probe {
  const link = new RedisLink(host, port, timeoutMs);
  return {
    poll: async (signal) => sentinelMasterValue(await link.call(signal, 'SENTINEL', 'get-master-addr-by-name', masterName)),
    connected: () => link.connected(),
    close: () => link.close(),
  };
}
