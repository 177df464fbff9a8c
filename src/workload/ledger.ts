// After healing, every acknowledged write (and every indeterminate one) is looked up: on each
// store's final primary, straight on its published port, for the app client (whose writes land in
// the app's own tables); through the client's own readBack for any other kind. That is the ledger
// the checks judge loss by. It records, per store (or, for a client that names none, per lane), the
// node asked, how many ids, which of them are missing, and any error: a column that could not be
// read is unknown to the checks, never "nothing lost". A client bug's op is no evidence: not asked.
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Target } from '../config/target.ts';
import type { Workload } from '../config/workload.ts';
import type { LedgerStore, OpTable } from '../history/model.ts';
import { currentPrimary } from '../mesh/roles.ts';
import { checkClient, kindOf } from './clients/registry.ts';

const CHUNK = 5000;

async function foundInPostgres(t: Target, node: string, ids: string[], creds: Workload['postgres']): Promise<Set<string>> {
  const c = new pg.Client({ host: t.host, port: t.nodes[node]!.hostPorts.postgres, ...creds, connectionTimeoutMillis: 3000, query_timeout: 15_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const r = await c.query<{ id: string }>('SELECT id FROM writes WHERE id = ANY($1::text[])', [ids.slice(i, i + CHUNK)]);
      for (const row of r.rows) found.add(row.id);
    }
    return found;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function foundInRedis(t: Target, node: string, ids: string[]): Promise<Set<string>> {
  const r = new Redis({ host: t.host, port: t.nodes[node]!.hostPorts.redis, lazyConnect: true, connectTimeout: 3000, commandTimeout: 15_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  await r.connect();
  try {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const values = await r.mget(...chunk.map((id) => `write:${id}`));
      chunk.forEach((id, k) => values[k] !== null && found.add(id));
    }
    return found;
  } finally {
    r.disconnect();
  }
}

const READERS: Record<string, (t: Target, node: string, ids: string[], w: Workload) => Promise<Set<string>>> = {
  postgres: (t, node, ids, w) => foundInPostgres(t, node, ids, w.postgres),
  redis: (t, node, ids) => foundInRedis(t, node, ids),
};

/** Every acknowledged or indeterminate write that went to a column. */
function askedOf(ops: OpTable, column: string): string[] {
  const ids: string[] = [];
  const mask = ops.storeMask(column);
  for (let i = 0; i < ops.length; i++) {
    if (!(ops.storeBitsOf(i) & mask)) continue;
    const o = ops.outcome(i);
    if (o !== 'fail' && o !== 'client-bug') ids.push(ops.id(i));
  }
  return ids;
}

/** One store's column, read on its final primary: asked about every acknowledged or indeterminate write that went to it. */
async function readStore(t: Target, store: string, ops: OpTable, w: Workload): Promise<LedgerStore> {
  const ids = askedOf(ops, store);
  const kind = t.nodes[t.stores[store]?.members[0] ?? '']?.kind ?? '';
  const read = READERS[kind];
  if (!read) return { primary: null, asked: ids.length, missing: [], error: `no ledger reader for a store of kind "${kind}"` };
  const primary = await currentPrimary(t, store).catch(() => undefined);
  if (!primary) return { primary: null, asked: ids.length, missing: [], error: `${store} had no single primary to read from` };
  try {
    const found = await read(t, primary, ids, w);
    return { primary, asked: ids.length, missing: ids.filter((id) => !found.has(id)) };
  } catch (e) {
    return { primary, asked: ids.length, missing: [], error: `reading ${primary} failed: ${(e as Error).message}` };
  }
}

/**
 * One column read back through the client. A target store's column is read only when the store has
 * a single primary (what the client reads is then its final state); a lane's own column names the
 * lane as the one asked.
 */
async function readThroughClient(t: Target, column: string, ops: OpTable, kind: string, readBack: ReadBack | undefined): Promise<LedgerStore> {
  const ids = askedOf(ops, column);
  if (!readBack) return { primary: null, asked: ids.length, missing: [], error: `the ${kind} client cannot read its writes back` };
  let primary: string | undefined = column;
  if (t.stores[column]) {
    primary = await currentPrimary(t, column).catch(() => undefined);
    if (!primary) return { primary: null, asked: ids.length, missing: [], error: `${column} had no single primary to read from` };
  }
  try {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) for (const id of await readBack(ids.slice(i, i + CHUNK))) found.add(id);
    return { primary, asked: ids.length, missing: ids.filter((id) => !found.has(id)) };
  } catch (e) {
    return { primary, asked: ids.length, missing: [], error: `reading back through the ${kind} client failed: ${(e as Error).message}` };
  }
}

export type ReadBack = (ids: string[]) => Promise<Set<string>>;

/** Every column the workload wrote to: each store's final primary (app client), or the client's own readBack. */
export async function readLedger(t: Target, ops: OpTable, w: Workload, readBack?: ReadBack): Promise<Record<string, LedgerStore>> {
  const client = checkClient(w.client).value;
  const kind = client ? kindOf(client) : undefined;
  const viaStores = !kind || kind.readBack === 'stores';
  const columns = viaStores ? ops.stores.list.filter((s) => t.stores[s]) : ops.stores.list;
  const read = await Promise.all(columns.map((s) => (viaStores ? readStore(t, s, ops, w) : readThroughClient(t, s, ops, kind.kind, readBack))));
  return Object.fromEntries(columns.map((s, i) => [s, read[i]!]));
}

/** Journal lines for a ledger: one `ledger` line, then each store's missing ids in chunks (a line stays small). */
export function ledgerLines(stores: Record<string, LedgerStore>): { type: string; data: Record<string, unknown> }[] {
  const head = Object.fromEntries(Object.entries(stores).map(([s, v]) => [s, { ...v, missing: [] }]));
  const lines: { type: string; data: Record<string, unknown> }[] = [{ type: 'ledger', data: { stores: head } }];
  for (const [store, v] of Object.entries(stores)) {
    for (let i = 0; i < v.missing.length; i += CHUNK) lines.push({ type: 'ledger-missing', data: { store, ids: v.missing.slice(i, i + CHUNK) } });
  }
  return lines;
}
