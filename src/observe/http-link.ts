// A keep-alive HTTP connection to one node (undici Client: one origin, one socket, requests one at
// a time), so a 20 Hz poll does not pay a TCP handshake each time. undici reconnects by itself after
// the socket drops; an aborted request destroys its socket, so a late answer never mixes with the next.
import { Client } from 'undici';

export class HttpLink {
  private readonly client: Client;
  /** Whether the last request was answered: the socket is then most likely still open. */
  connected = false;

  constructor(host: string, port: number, timeoutMs: number) {
    this.client = new Client(`http://${host}:${port}`, {
      pipelining: 1, connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000,
    });
  }

  get(path: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
    return this.request('GET', path, signal);
  }

  /** A JSON request body (etcd's gateway takes its arguments so). */
  post(path: string, body: unknown, signal: AbortSignal): Promise<{ status: number; body: string }> {
    return this.request('POST', path, signal, JSON.stringify(body));
  }

  private async request(method: 'GET' | 'POST', path: string, signal: AbortSignal, payload?: string): Promise<{ status: number; body: string }> {
    this.connected = false;
    const r = await this.client.request({ method, path, signal, ...(payload !== undefined ? { body: payload, headers: { 'content-type': 'application/json' } } : {}) });
    const body = await r.body.text();
    this.connected = true;
    return { status: r.statusCode, body };
  }

  close(): Promise<void> {
    return this.client.destroy();
  }
}
