// Source "patroni": GET /patroni on each member, its own view of its role. /cluster would answer
// with the DCS's view from whichever member is asked; a partitioned member's belief is the point.
import { HttpLink } from './http-link.ts';
import type { Probe } from './poller.ts';
import { patroniValue } from './values.ts';

export function patroniProbe(host: string, port: number, timeoutMs: number): Probe {
  const http = new HttpLink(host, port, timeoutMs);
  return {
    async poll(signal) {
      // 503 still carries the member's JSON (Postgres not running); a body that is not JSON fails the poll.
      return patroniValue(JSON.parse((await http.get('/patroni', signal)).body));
    },
    connected: () => http.connected,
    close: () => http.close(),
  };
}
