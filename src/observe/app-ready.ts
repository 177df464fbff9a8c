// Source "app-ready": GET /readyz on each app, straight to its published port (not through the
// workload's proxied link), so a faulted client link does not read as an unready app. maxAgeMs
// lets the app answer from a store probe that young rather than probe both stores per poll (an app
// that does not know the parameter ignores it and probes each time).
import { HttpLink } from './http-link.ts';
import type { Probe } from './poller.ts';
import { readyValue } from './values.ts';

export function appReadyProbe(host: string, port: number, timeoutMs: number, maxAgeMs: number): Probe {
  const http = new HttpLink(host, port, timeoutMs);
  const path = maxAgeMs > 0 ? `/readyz?maxAgeMs=${maxAgeMs}` : '/readyz';
  return {
    async poll(signal) {
      return readyValue((await http.get(path, signal)).status);
    },
    connected: () => http.connected,
    close: () => http.close(),
  };
}
