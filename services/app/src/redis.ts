// Redis through Sentinel. ioredis asks the Sentinels for the master, follows +switch-master, and
// reconnects on READONLY (a demoted master); every command has a deadline.
import { Redis } from 'ioredis';
import type { AppConfig } from './config.ts';

export function createRedis(cfg: AppConfig): Redis {
  return new Redis({
    sentinels: cfg.redis.sentinels,
    name: cfg.redis.name,
    role: 'master',
    failoverDetector: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    sentinelCommandTimeout: 1000,
    maxRetriesPerRequest: 1,
    sentinelRetryStrategy: (times: number) => Math.min(100 * times, 1000),
    retryStrategy: (times: number) => Math.min(50 * times, 500),
    reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? 2 : false),
    lazyConnect: false,
  });
}

export const writeKey = (id: string): string => `write:${id}`;
