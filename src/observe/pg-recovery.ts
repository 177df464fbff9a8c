// Source "pg-recovery": each Postgres server's own answer to pg_is_in_recovery(), on one persistent
// connection per node. The socket is ours (pg's stream factory) so an abort can destroy it at once:
// pg's query_timeout would leave the query queued on a connection that may never answer.
import { Socket } from 'node:net';
import pg from 'pg';
import type { Probe } from './poller.ts';
import { Closing } from './sockets.ts';
import { recoveryValue } from './values.ts';

/** The target's own login (its store's `credentials`): there is no default one to guess. */
export interface PgCredentials { user: string; password: string; database: string }

export function pgRecoveryProbe(host: string, port: number, creds: PgCredentials, connectTimeoutMs: number): Probe {
  let conn: { client: pg.Client; socket: Socket; ready: Promise<void>; up: boolean } | undefined;

  const closing = new Closing();
  const drop = (c: typeof conn): void => {
    if (!c) return;
    if (conn === c) conn = undefined;
    c.client.end().catch(() => undefined); // marks it ending, so pg raises no error for the destroy
    void closing.destroy(c.socket);
  };

  const open = (): NonNullable<typeof conn> => {
    const socket = new Socket();
    const client = new pg.Client({ host, port, ...creds, connectionTimeoutMillis: connectTimeoutMs, stream: () => socket, application_name: 'faultline-observer' });
    const c = { client, socket, ready: Promise.resolve(), up: false };
    client.on('error', () => drop(c)); // e.g. the server went away while idle
    c.ready = client.connect().then(() => void (c.up = true));
    return (conn = c);
  };

  return {
    async poll(signal) {
      const c = conn ?? open();
      const onAbort = (): void => drop(c);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await c.ready;
        const r = await c.client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
        return recoveryValue(r.rows[0]!.r);
      } catch (e) {
        drop(c);
        throw e;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
    connected: () => conn?.up === true,
    async close() {
      drop(conn);
      await closing.settled();
    },
  };
}
