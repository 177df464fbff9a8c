// HTTP API. A write answers 2xx only after Postgres committed it and Redis acknowledged it; any
// other answer says which stage failed, so the harness can tell "not written" from "half written".
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { AppConfig } from './config.ts';
import type { Metrics } from './metrics.ts';
import { insertWrite, readWrite } from './postgres.ts';
import { writeKey } from './redis.ts';
import type { RedisNodes } from './redis-node.ts';

const ID = '^[A-Za-z0-9._:-]{1,128}$';

const failure = (stage: string, err: unknown) => ({
  error: { code: `${stage.toUpperCase()}_UNAVAILABLE`, stage, message: err instanceof Error ? err.message : String(err) },
});

async function probe(fn: () => Promise<unknown>, ms: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms); })]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export function registerRoutes(app: FastifyInstance, deps: { cfg: AppConfig; pool: pg.Pool; redis: Redis; redisNodes: RedisNodes; metrics: Metrics }): void {
  const { cfg, pool, redis, redisNodes, metrics } = deps;

  app.post<{ Body: { id: string; value?: string } }>('/writes', {
    schema: {
      body: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string', pattern: ID }, value: { type: 'string', maxLength: 4096 } },
      },
    },
  }, async (req, reply) => {
    const { id } = req.body;
    const value = req.body.value ?? id;
    let pgRow;
    try {
      pgRow = await insertWrite(pool, id, value, cfg.zone);
    } catch (err) {
      metrics.writes.inc({ outcome: 'postgres_failed' });
      return reply.code(503).send(failure('postgres', err));
    }
    if (pgRow === 'duplicate') {
      metrics.writes.inc({ outcome: 'duplicate' });
      return reply.code(409).send({ error: { code: 'DUPLICATE_ID', stage: 'postgres', message: `write ${id} exists already; ids must be unique` } });
    }
    let redisNode: string | undefined;
    try {
      await redis.set(writeKey(id), value);
      redisNode = await redisNodes.carrier(); // synchronously after the reply: see redis-node.ts
    } catch (err) {
      metrics.writes.inc({ outcome: 'redis_failed' });
      return reply.code(503).send({ ...failure('redis', err), postgres: pgRow });
    }
    metrics.writes.inc({ outcome: 'ok' });
    // redisNode: the Redis node that acknowledged the SET, null when not certain (added field).
    return reply.code(201).send({ id, app: cfg.node, postgres: pgRow, redis: 'OK', redisNode: redisNode ?? null });
  });

  app.get<{ Params: { id: string } }>('/writes/:id', {
    schema: { params: { type: 'object', properties: { id: { type: 'string', pattern: ID } } } },
  }, async (req, reply) => {
    const { id } = req.params;
    const [p, r] = await Promise.allSettled([readWrite(pool, id), redis.get(writeKey(id))]);
    const postgres = p.status === 'fulfilled' ? { found: p.value !== null, ...(p.value ?? {}) } : { error: String(p.reason?.message ?? p.reason) };
    const redisOut = r.status === 'fulfilled' ? { found: r.value !== null, value: r.value } : { error: String(r.reason?.message ?? r.reason) };
    const anyError = p.status === 'rejected' || r.status === 'rejected';
    const found = (p.status === 'fulfilled' && p.value !== null) || (r.status === 'fulfilled' && r.value !== null);
    return reply.code(found ? 200 : anyError ? 503 : 404).send({ id, app: cfg.node, postgres, redis: redisOut });
  });

  app.get('/healthz', async () => ({ status: 'ok', node: cfg.node }));

  // Readiness probes both stores. A frequent watcher (the harness's observers) passes ?maxAgeMs= to
  // take the last probe's answer while it is that young, and shares a probe in flight, instead of
  // sending both stores a probe per poll; without it every request probes, as before.
  type Readiness = { at: number; postgres: Awaited<ReturnType<typeof probe>>; redis: Awaited<ReturnType<typeof probe>> };
  let last: Readiness | undefined;
  let probing: { since: number; done: Promise<Readiness> } | undefined;
  const readiness = async (): Promise<Readiness> => {
    const at = performance.now();
    const [postgres, redisOk] = await Promise.all([probe(() => pool.query('SELECT 1'), 1500), probe(() => redis.ping(), 1500)]);
    return (last = { at, postgres, redis: redisOk });
  };
  const shared = (): Promise<Readiness> => {
    const p = probing ?? (probing = { since: performance.now(), done: readiness().finally(() => (probing = undefined)) });
    return p.done;
  };
  app.get<{ Querystring: { maxAgeMs?: number } }>('/readyz', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { maxAgeMs: { type: 'integer', minimum: 0, maximum: 10_000 } } } },
  }, async (req, reply) => {
    const maxAge = req.query.maxAgeMs;
    const r = maxAge === undefined ? await readiness() : last && performance.now() - last.at <= maxAge ? last : await shared();
    const ready = r.postgres.ok && r.redis.ok;
    return reply.code(ready ? 200 : 503).send({ ready, node: cfg.node, zone: cfg.zone, postgres: r.postgres, redis: r.redis, ageMs: Math.round(performance.now() - r.at) });
  });

  // The same readiness as a stream, for a watcher that wants every change without asking 20 times a
  // second: one response, a line every everyMs with the last probe's verdict (a probe is started
  // then if none is running), so a silent stream means the app is gone or stalled. A probe still
  // unanswered after slowMs is "not ready" (a store that does not answer in time), not silence.
  const streams = new Set<{ end(): void }>();
  app.addHook('preClose', async () => streams.forEach((s) => s.end()));
  app.get<{ Querystring: { everyMs?: number; slowMs?: number } }>('/readyz/stream', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { everyMs: { type: 'integer', minimum: 20, maximum: 10_000 }, slowMs: { type: 'integer', minimum: 1, maximum: 10_000 } } } },
  }, (req, reply) => {
    const every = req.query.everyMs ?? 200;
    const slow = req.query.slowMs ?? 250;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    const stream = { end: () => void reply.raw.end() };
    streams.add(stream);
    const line = (): void => {
      void shared().catch(() => undefined);
      if (!last) return; // no verdict yet
      const pending = probing ? performance.now() - probing.since : 0;
      const ready = pending <= slow && last.postgres.ok && last.redis.ok;
      reply.raw.write(JSON.stringify({ ready, postgres: last.postgres, redis: last.redis, ageMs: Math.round(performance.now() - last.at), pendingMs: Math.round(pending) }) + '\n');
    };
    // The first line as soon as there is a verdict: at once, or when the first probe ends.
    void (last ? Promise.resolve() : shared().then(() => undefined, () => undefined)).then(() => void (streams.has(stream) && line()));
    const timer = setInterval(line, every);
    reply.raw.on('close', () => {
      streams.delete(stream);
      clearInterval(timer);
    });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
