// Postgres through the zone's HAProxy. node-postgres has no multi-host failover: HAProxy follows
// the primary, and the pool's job is to drop what a failover broke and never hang.
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from './config.ts';

export function createPool(cfg: AppConfig, log: FastifyBaseLogger): pg.Pool {
  const pool = new pg.Pool({
    ...cfg.pg,
    application_name: cfg.node,
    max: 20,
    // Bounded waits: a dead primary or a blackholed link must surface as an error, not a hang.
    connectionTimeoutMillis: 2000,
    query_timeout: 4000,
    statement_timeout: 3000,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 1000,
  });
  // An idle client whose server went away emits here; the pool has already dropped it.
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle postgres client failed and was dropped'));
  return pool;
}

export interface PgWrite { node: string | null; zone: string | null; value: string | null; createdAt: string }

export async function insertWrite(pool: pg.Pool, id: string, value: string, zone: string): Promise<PgWrite | 'duplicate'> {
  try {
    const r = await pool.query<{ node: string | null; zone: string | null; value: string | null; created_at: Date }>(
      'INSERT INTO writes (id, value, zone) VALUES ($1, $2, $3) RETURNING node, zone, value, created_at',
      [id, value, zone],
    );
    const row = r.rows[0];
    if (!row) throw new Error('INSERT returned no row');
    return { node: row.node, zone: row.zone, value: row.value, createdAt: row.created_at.toISOString() };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 'duplicate';
    throw err;
  }
}

export async function readWrite(pool: pg.Pool, id: string): Promise<PgWrite | null> {
  const r = await pool.query<{ node: string | null; zone: string | null; value: string | null; created_at: Date }>(
    'SELECT node, zone, value, created_at FROM writes WHERE id = $1',
    [id],
  );
  const row = r.rows[0];
  return row ? { node: row.node, zone: row.zone, value: row.value, createdAt: row.created_at.toISOString() } : null;
}
