// The reference workload: POST /writes {id} to an app node through its Toxiproxy client link.
import { Agent, request } from 'undici';
import type { Target } from '../config/target.ts';
import { classifyAnswer, classifyError } from './classify.ts';
import type { Send } from './open-loop.ts';
import { storeOfKind } from './store-of-kind.ts';

interface AppAnswer { postgres?: { node?: string | null }; redisNode?: string | null; error?: { message?: string } }

/**
 * The node of each store that acknowledged a write, by the target's store names. Postgres is
 * named whenever it committed (also in a 503 for a Redis failure); Redis only in a 201, and
 * only when the app was sure which node took the SET.
 */
export function answerNodes(status: number, body: AppAnswer | null, stores: { postgres?: string | undefined; redis?: string | undefined }): Record<string, string> | undefined {
  const nodes: Record<string, string> = {};
  const pg = body?.postgres?.node;
  if (stores.postgres && typeof pg === 'string' && pg) nodes[stores.postgres] = pg;
  if (stores.redis && status === 201 && typeof body?.redisNode === 'string' && body.redisNode) nodes[stores.redis] = body.redisNode;
  return Object.keys(nodes).length ? nodes : undefined;
}

export function appWriter(t: Target, timeoutMs: number): { send: Send; close(): Promise<void> } {
  // Own connection pool, so the workload's sockets are closed when the run ends.
  const dispatcher = new Agent({ keepAliveTimeout: 4000, connections: 256 });
  const stores = { postgres: storeOfKind(t, 'postgres'), redis: storeOfKind(t, 'redis') };
  const url = (client: string) => `http://${t.host}:${t.externalClient!.hostPorts[client]}/writes`;
  const send: Send = async (client, id) => {
    try {
      const r = await request(url(client), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }),
        signal: AbortSignal.timeout(timeoutMs), dispatcher,
      });
      const body = (await r.body.json().catch(() => null)) as AppAnswer | null;
      const outcome = classifyAnswer(r.statusCode, body);
      const nodes = answerNodes(r.statusCode, body, stores);
      return { outcome, status: r.statusCode, ...(nodes ? { nodes } : {}), ...(outcome !== 'ok' && body?.error?.message ? { error: body.error.message.slice(0, 200) } : {}) };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { outcome: classifyError(e), error: `${err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : (err as { code?: string }).code ?? err.cause?.code ?? err.message}`.slice(0, 200) };
    }
  };
  return { send, close: () => dispatcher.close() };
}
