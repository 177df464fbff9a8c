// The one place that talks to Toxiproxy. toxiproxy-node-client is typed but thin (no toxic
// listing, bare status-code errors), so this wraps it and turns failures into coded errors.
import { Toxiproxy, type Proxy as ClientProxy, type ToxicType } from 'toxiproxy-node-client';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';

export interface ToxicSpec {
  name: string;
  type: ToxicType;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicSpec[];
}

export class ToxiproxyApi {
  readonly url: string;
  private readonly client: Toxiproxy;

  constructor(url: string) {
    this.url = url;
    this.client = new Toxiproxy(url);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      const msg = (cause as Error).message ?? String(cause);
      if (/ECONNREFUSED|ECONNRESET|fetch failed|ENOTFOUND|timed? ?out/i.test(msg + String((cause as { cause?: unknown }).cause ?? ''))) {
        throw new FaultlineError(ErrorCodes.TOXIPROXY_UNREACHABLE, `Toxiproxy did not answer at ${this.url} (${what})`, 'is the mesh up? Run `faultline up`, then `faultline status`', { cause });
      }
      throw new FaultlineError(ErrorCodes.TOXIPROXY_REQUEST, `Toxiproxy refused ${what}: ${msg}`, 'check the proxy name against `faultline status`; `faultline reset` restores every proxy', { cause });
    }
  }

  async version(): Promise<string> {
    // 2.12 answers {"version": "..."}; older servers answer the bare string.
    return this.call('GET /version', async () => {
      const raw = String(await this.client.getVersion()).trim();
      try {
        return String((JSON.parse(raw) as { version?: string }).version ?? raw);
      } catch {
        return raw;
      }
    });
  }

  /** All proxies with their toxics, in one request (the client has no toxics listing). */
  async list(): Promise<ProxyState[]> {
    return this.call('GET /proxies', async () => {
      const r = await fetch(`${this.url}/proxies`, { signal: AbortSignal.timeout(5000) });
      if (!r.ok) throw new Error(`status ${r.status}`);
      return Object.values((await r.json()) as Record<string, ProxyState>);
    });
  }

  private proxy(name: string): Promise<ClientProxy> {
    return this.call(`GET /proxies/${name}`, () => this.client.get(name));
  }

  async addToxic(proxy: string, toxic: ToxicSpec): Promise<void> {
    const p = await this.proxy(proxy);
    await this.call(`adding toxic ${toxic.name} to ${proxy}`, () => p.addToxic({ ...toxic, attributes: toxic.attributes as never }));
  }

  /** Idempotent: removing a toxic that is gone is not an error (the client would need a GET first). */
  async removeToxic(proxy: string, toxic: string): Promise<void> {
    await this.call(`removing toxic ${toxic} from ${proxy}`, async () => {
      const r = await fetch(`${this.url}/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
      if (!r.ok && r.status !== 404) throw new Error(`status ${r.status}`);
    });
  }

  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    const p = await this.proxy(proxy);
    // The client's update needs every field, not just the one that changes.
    await this.call(`${enabled ? 'enabling' : 'disabling'} ${proxy}`, () => p.update({ enabled, listen: p.listen, upstream: p.upstream }));
  }

  /** Re-enable every proxy and drop every toxic. */
  async reset(): Promise<void> {
    await this.call('POST /reset', () => this.client.reset());
  }
}
