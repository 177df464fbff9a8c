// Client kind `sql`: straight to Postgres, past any app. Each write INSERTs its id into a table
// faultline creates (default faultline_writes); the read-back SELECTs the ids, on a fresh connection
// that must reach a primary. It connects through the target's Postgres store (its write endpoint,
// HAProxy in the reference mesh, on its published port) or to a given URL. A server that sets the
// per-node setting `faultline.node` (the reference mesh's do) names itself on every row, so each
// acknowledged write names the node that took it.
import pg from 'pg';
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import type { Target } from '../../config/target.ts';
import type { Workload } from '../../config/workload.ts';
import { classifyStoreError } from '../classify.ts';
import { postgresEndpoint } from '../store-connections.ts';
import { storeOfKind } from '../store-of-kind.ts';
import { columnOf, laneColumnProblems, laneFields, loopbackProblems, storeProblems } from './common.ts';
import { laneOf, type ClientKind } from './types.ts';

const Credentials = z.object({ user: z.string().min(1), password: z.string(), database: z.string().min(1) }).strict();

const schema = z.object({
  kind: z.literal('sql'),
  ...laneFields,
  /** A node of the target publishing a "postgres" port (default: the store's first write endpoint, else a member). */
  endpoint: z.string().min(1).optional(),
  /** postgres://user:password@host:port/database, instead of the target's store. */
  url: z.string().regex(/^postgres(ql)?:\/\/[^/\s]+/, 'a postgres:// URL').optional(),
  /** Default: the store's credentials in the target, else workload.postgres. */
  credentials: Credentials.optional(),
  /** Created when the run starts, if it is not there. */
  table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL name: letters, digits and _').default('faultline_writes'),
}).strict().superRefine((c, ctx) => {
  if (c.url !== undefined && (c.endpoint !== undefined || c.credentials !== undefined)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a URL carries its own host and login: give url, or endpoint/credentials, not both' });
});

type Sql = z.infer<typeof schema>;

/** The store its writes land in: the one named, else (connecting through the target) the target's Postgres store. */
const storeOf = (c: Sql, t: Target) => c.store ?? (c.url ? undefined : storeOfKind(t, 'postgres'));

function connection(c: Sql, t: Target, w: Workload): pg.ClientConfig {
  if (c.url) return { connectionString: c.url };
  const store = storeOf(c, t)!;
  const ep = postgresEndpoint(t, store, c.endpoint)!;
  const creds = c.credentials ?? t.stores[store]?.credentials ?? w.postgres;
  return { host: t.host, port: ep.port, ...creds };
}

const sql: ClientKind<Sql, z.input<typeof schema>> = {
  kind: 'sql',
  schema,
  readBack: 'client',
  async check(c, ctx) {
    const t = ctx.target;
    const problems: ErrorDetail[] = [...storeProblems(c, ctx, 'postgres')];
    if (c.url) problems.push(...loopbackProblems(c.url.replace(/^postgres(ql)?:/, 'http:'), `${ctx.path}.url`, ctx.allowRemote));
    else if (!problems.length) {
      const store = storeOf(c, t);
      if (!store) problems.push({ path: ctx.path, message: `${t.projectName} has no store of Postgres nodes`, fix: 'give a url (postgres://...), or declare the store in the target' });
      else if (c.endpoint !== undefined && !t.nodes[c.endpoint]) problems.push({ path: `${ctx.path}.endpoint`, message: `"${c.endpoint}" is not a node of ${t.projectName}`, fix: `use one of: ${Object.keys(t.nodes).filter((n) => t.nodes[n]!.hostPorts.postgres).join(', ')}` });
      else if (!postgresEndpoint(t, store, c.endpoint)) problems.push({ path: `${ctx.path}${c.endpoint ? '.endpoint' : ''}`, message: c.endpoint ? `${c.endpoint} publishes no "postgres" port` : `no write endpoint or member of ${store} publishes a "postgres" port`, fix: 'publish its port in the target, or give a url' });
    }
    problems.push(...laneColumnProblems(c, storeOf(c, t), ctx));
    return { problems, readsBack: true };
  },
  async open(c, { target: t, workload: w }) {
    const conn = connection(c, t, w);
    const column = columnOf(c, storeOf(c, t));
    const pool = new pg.Pool({ ...conn, max: 32, connectionTimeoutMillis: w.timeout, query_timeout: w.timeout, idleTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    try {
      await pool.query(`CREATE TABLE IF NOT EXISTS ${c.table} (id text PRIMARY KEY, node text DEFAULT current_setting('faultline.node', true), created_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new Error(`creating table ${c.table} failed: ${(e as Error).message}`, { cause: e });
    }
    return {
      lanes: [laneOf(c)],
      storesOf: () => [column],
      send: async (_lane, id) => {
        try {
          const r = await pool.query<{ node: string | null }>(`INSERT INTO ${c.table} (id) VALUES ($1) RETURNING node`, [id]);
          const node = r.rows[0]?.node;
          return { outcome: 'ok', ...(node ? { nodes: { [column]: node } } : {}) };
        } catch (e) {
          const err = e as Error & { code?: string };
          // A unique violation: the id was there already, and this INSERT wrote nothing.
          return { outcome: err.code === '23505' ? 'fail' : classifyStoreError(err), error: err.message.slice(0, 200) };
        }
      },
      async readBack(ids) {
        // A fresh connection: one the pool kept may still lead to a node demoted since.
        const client = new pg.Client({ ...conn, connectionTimeoutMillis: 5000, query_timeout: 15_000 });
        client.on('error', () => undefined);
        await client.connect();
        try {
          const recovery = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
          if (recovery.rows[0]?.r) throw new Error('the read-back connection reached a replica, not a primary');
          const found = new Set<string>();
          for (let i = 0; i < ids.length; i += 5000) {
            const r = await client.query<{ id: string }>(`SELECT id FROM ${c.table} WHERE id = ANY($1::text[])`, [ids.slice(i, i + 5000)]);
            for (const row of r.rows) found.add(row.id);
          }
          return found;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      close: () => pool.end(),
    };
  },
};

export default sql;
