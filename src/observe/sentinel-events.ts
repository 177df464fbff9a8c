// Every Sentinel's event stream (+sdown, +odown, +switch-master, +failover-state-*, ...), from a
// psubscribe('*') on each Sentinel's published port. Unlike the pollers this connection retries on
// its own and ioredis re-subscribes after each reconnect, so events resume once a Sentinel is back.
import { Redis } from 'ioredis';
import { destroySocket } from './sockets.ts';

export interface SentinelSubscription {
  /** Settles when the first subscription is confirmed or given up on (a down Sentinel is retried). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function subscribeSentinel(host: string, port: number, onEvent: (channel: string, message: string) => void, firstWaitMs = 1000): SentinelSubscription {
  const r = new Redis({
    host, port, connectTimeout: 1000, disableClientInfo: true,
    // Queue the psubscribe until connected and retry it for ever: a Sentinel down at start still gets watched.
    retryStrategy: () => 200, maxRetriesPerRequest: null, enableOfflineQueue: true, autoResubscribe: true,
  });
  r.on('error', () => undefined); // reconnects are ioredis's business; nothing to report
  r.on('pmessage', (_pattern: string, channel: string, message: string) => onEvent(channel, message));
  const subscribed = r.psubscribe('*').then(() => undefined);
  subscribed.catch(() => undefined);
  let waitTimer: NodeJS.Timeout | undefined;
  const ready = Promise.race([subscribed, new Promise<void>((res) => (waitTimer = setTimeout(res, firstWaitMs)))])
    .catch(() => undefined)
    .finally(() => clearTimeout(waitTimer));
  return {
    ready,
    async close() {
      clearTimeout(waitTimer);
      r.disconnect();
      await destroySocket(r.stream);
    },
  };
}
