// Source "app-ready": GET /readyz on each app, straight to its published port (not through the
// workload's proxied link), so a faulted client link does not read as an unready app.
import { HttpLink } from './http-link.ts';
import type { Probe } from './poller.ts';
import { readyValue } from './values.ts';

export function appReadyProbe(host: string, port: number, timeoutMs: number): Probe {
  const http = new HttpLink(host, port, timeoutMs);
  return {
    async poll(signal) {
      return readyValue((await http.get('/readyz', signal)).status);
    },
    connected: () => http.connected,
    close: () => http.close(),
  };
}
