// Client kind `redis`: straight to Redis. Each write is a SET of `<keyPrefix><id>` (NX: an id
// that is there already is refused, not overwritten); the read-back MGETs the keys on a fresh
// connection that must reach a master. It finds the master through the target store's Sentinels
// (following failovers, on published ports) or connects to a given URL.
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import type { Target } from '../../config/target.ts';
import { classifyStoreError } from '../classify.ts';
import { sentinelRoute } from '../store-connections.ts';
import { storeOfKind } from '../store-of-kind.ts';
import { carrier, sentinelClient } from '../store-writes.ts';
import { columnOf, laneColumnProblems, laneFields, loopbackProblems, storeProblems } from './common.ts';
import { laneOf, type ClientKind } from './types.ts';

const schema = z.object({
  kind: z.literal('redis'),
  ...laneFields,
  /** redis://host:port[/db], instead of the target store's master as its Sentinels name it. */
  url: z.string().regex(/^rediss?:\/\/[^/\s]+/, 'a redis:// URL').optional(),
  keyPrefix: z.string().max(100).default('faultline:'),
}).strict();

type RedisClient = z.infer<typeof schema>;

const storeOf = (c: RedisClient, t: Target) => c.store ?? (c.url ? undefined : storeOfKind(t, 'redis'));

const urlClient = (url: string, timeoutMs: number) => {
  const r = new Redis(url, { connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(50 * n, 500) });
  r.on('error', () => undefined);
  return r;
};

const redis: ClientKind<RedisClient, z.input<typeof schema>> = {
  kind: 'redis',
  schema,
  readBack: 'client',
  async check(c, ctx) {
    const t = ctx.target;
    const problems: ErrorDetail[] = [...storeProblems(c, ctx, 'redis')];
    if (c.url) problems.push(...loopbackProblems(c.url.replace(/^rediss?:/, 'http:'), `${ctx.path}.url`, ctx.allowRemote));
    else if (!problems.length && !sentinelRoute(t, storeOf(c, t))) {
      problems.push({ path: ctx.path, message: `${t.projectName} has no store of Redis nodes with Sentinels publishing a "sentinel" port`, fix: 'give a url (redis://...), or publish the Sentinels\' ports in the target' });
    }
    problems.push(...laneColumnProblems(c, storeOf(c, t), ctx));
    return { problems, readsBack: true };
  },
  async open(c, { target: t, workload: w }) {
    const column = columnOf(c, storeOf(c, t));
    const viaSentinel = c.url ? undefined : sentinelClient(t, w.timeout, storeOf(c, t));
    const r = viaSentinel?.redis ?? urlClient(c.url!, w.timeout);
    const key = (id: string) => `${c.keyPrefix}${id}`;
    return {
      lanes: [laneOf(c)],
      storesOf: () => [column],
      send: async (_lane, id) => {
        try {
          const ok = await r.set(key(id), id, 'NX');
          // Before any other await: the socket that carried this reply (see store-writes.ts).
          const node = viaSentinel ? carrier(r, viaSentinel.route.byPort) : undefined;
          if (ok !== 'OK') return { outcome: 'fail', error: `${key(id)} exists already; ids must be unique` };
          return { outcome: 'ok', ...(node ? { nodes: { [column]: node } } : {}) };
        } catch (e) {
          return { outcome: classifyStoreError(e), error: (e as Error).message.slice(0, 200) };
        }
      },
      async readBack(ids) {
        // A fresh connection to whichever node is master now, verified to be one.
        const reader = viaSentinel ? sentinelClient(t, 5000, storeOf(c, t)).redis : urlClient(c.url!, 5000);
        try {
          const role = (await reader.call('ROLE')) as unknown[];
          if (role[0] !== 'master') throw new Error(`the read-back connection reached a ${String(role[0])}, not a master`);
          const found = new Set<string>();
          for (let i = 0; i < ids.length; i += 500) {
            const chunk = ids.slice(i, i + 500);
            const values = await reader.mget(...chunk.map(key));
            chunk.forEach((id, k) => values[k] !== null && found.add(id));
          }
          return found;
        } finally {
          reader.disconnect();
        }
      },
      close: async () => r.disconnect(),
    };
  },
};

export default redis;
