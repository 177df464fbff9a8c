// Source "patroni" over REST: GET /patroni on each member, its own view of its role. /cluster would
// answer with the DCS's view from whichever member is asked. Each answer costs Patroni a connection
// (it speaks HTTP/1.0) and a SQL query, so where the DCS is etcd the member keys are watched instead
// (dcs-watch.ts); this stays for targets whose Patroni keeps its keys elsewhere.
import { HttpLink } from './http-link.ts';
import type { Probe } from './poller.ts';
import { patroniEpoch, patroniValue } from './values.ts';

export function patroniProbe(host: string, port: number, timeoutMs: number): Probe {
  const http = new HttpLink(host, port, timeoutMs);
  return {
    async poll(signal) {
      // 503 still carries the member's JSON (Postgres not running); a body that is not JSON fails the poll.
      const body: unknown = JSON.parse((await http.get('/patroni', signal)).body);
      const epoch = patroniEpoch(body);
      return { value: patroniValue(body), ...(epoch !== undefined ? { epoch } : {}) };
    },
    connected: () => http.connected,
    close: () => http.close(),
  };
}
