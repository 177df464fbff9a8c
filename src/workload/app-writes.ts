// The reference workload: POST /writes {id} to an app node through its Toxiproxy client link.
import { Agent, request } from 'undici';
import type { Target } from '../config/target.ts';
import { classifyAnswer, classifyError } from './classify.ts';
import type { Send } from './open-loop.ts';

export function appWriter(t: Target, timeoutMs: number): { send: Send; close(): Promise<void> } {
  // Own connection pool, so the workload's sockets are closed when the run ends.
  const dispatcher = new Agent({ keepAliveTimeout: 4000, connections: 256 });
  const url = (client: string) => `http://${t.host}:${t.externalClient!.hostPorts[client]}/writes`;
  const send: Send = async (client, id) => {
    try {
      const r = await request(url(client), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }),
        signal: AbortSignal.timeout(timeoutMs), dispatcher,
      });
      const body = (await r.body.json().catch(() => null)) as { postgres?: { node?: string }; error?: { message?: string } } | null;
      const outcome = classifyAnswer(r.statusCode, body);
      return { outcome, status: r.statusCode, ...(body?.postgres?.node ? { node: body.postgres.node } : {}), ...(outcome !== 'ok' && body?.error?.message ? { error: body.error.message.slice(0, 200) } : {}) };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { outcome: classifyError(e), error: `${err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : (err as { code?: string }).code ?? err.cause?.code ?? err.message}`.slice(0, 200) };
    }
  };
  return { send, close: () => dispatcher.close() };
}
