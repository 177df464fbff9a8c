// Entry point: wire config, stores, metrics and routes; shut down gracefully on SIGTERM/SIGINT.
import Fastify from 'fastify';
import { loadConfig } from './config.ts';
import { createMetrics } from './metrics.ts';
import { createPool } from './postgres.ts';
import { createRedis } from './redis.ts';
import { trackRedisNodes } from './redis-node.ts';
import { registerRoutes } from './routes.ts';

const cfg = loadConfig();
// Request logs only for failures: a workload at hundreds of ops/s would drown the rest.
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info', base: { node: cfg.node, zone: cfg.zone } }, disableRequestLogging: true });
const metrics = createMetrics({ node: cfg.node, zone: cfg.zone });
const pool = createPool(cfg, app.log);
const redis = createRedis(cfg);
let closing = false;
redis.on('error', (err: Error) => app.log.warn({ err: err.message }, 'redis connection error'));
redis.on('+node', () => app.log.info('redis master changed'));
// The client's connection states, so a failed write can be told apart later: reconnecting, or given up.
for (const ev of ['ready', 'close', 'reconnecting', 'end'] as const) redis.on(ev, (delayMs?: unknown) => app.log.info({ redis: ev, ...(typeof delayMs === 'number' ? { delayMs } : {}) }, `redis ${ev}`));
// ioredis ends a connection for good in a few failover races (redis/ioredis#1683: "Connection is
// closed" on every command after a master change); outside shutdown, connect again: an app that
// never reaches Redis again after one failover is not what the reference mesh should model.
redis.on('end', () => {
  if (closing) return;
  app.log.warn('redis client ended outside shutdown; connecting again in 500 ms');
  setTimeout(() => void redis.connect().catch((err: Error) => app.log.warn({ err: err.message }, 'redis reconnect failed')), 500).unref();
});

// ioredis can reject a command it sent itself, with no caller to catch it, when a connection dies
// mid-failover ("Command timed out" after commandTimeout): seen killing app-b after a zone cut, so
// the surviving zone lost its app. No request waits on that command: log it and keep serving.
// Any other unhandled rejection is a bug here, and crashes the app as before.
process.on('unhandledRejection', (reason) => {
  if (reason instanceof Error && reason.message === 'Command timed out') {
    app.log.warn({ err: reason.message }, 'redis client command rejected with no caller (ignored)');
    return;
  }
  throw reason;
});

app.addHook('onResponse', async (req, reply) => {
  const route = req.routeOptions.url ?? 'unknown';
  metrics.requests.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  if (reply.statusCode >= 500) req.log.warn({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request failed');
});

registerRoutes(app, { cfg, pool, redis, redisNodes: trackRedisNodes(redis), metrics });

async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 4000);
  force.unref();
  await app.close();
  await Promise.allSettled([pool.end(), redis.quit()]);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ host: '0.0.0.0', port: cfg.port });
