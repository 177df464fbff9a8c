// Source "haproxy": which Postgres member each HAProxy sends writes to, from its own stats page
// (`;csv`) on its published stats port, over one keep-alive connection. HAProxy's view is the one
// the apps live by: a promoted member is writable only once its HAProxy marks it UP.
import { HttpLink } from './http-link.ts';
import type { Probe } from './poller.ts';
import { haproxyValue } from './values.ts';

export function haproxyProbe(host: string, port: number, members: readonly string[], timeoutMs: number): Probe {
  const http = new HttpLink(host, port, timeoutMs);
  return {
    async poll(signal) {
      const r = await http.get('/;csv;norefresh', signal);
      if (r.status !== 200) throw new Error(`HAProxy stats answered ${r.status}`);
      return haproxyValue(r.body, members);
    },
    connected: () => http.connected,
    close: () => http.close(),
  };
}
