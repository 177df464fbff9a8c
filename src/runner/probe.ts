// Run one steady-state probe against a target. A probe never throws: it answers ok or not, with
// what it saw, in bounded time (its own timeout).
import pg from 'pg';
import type { ProbeResult } from '../core/run-result.ts';
import type { Target } from '../config/target.ts';
import type { Probe } from '../config/probe.ts';
import { redisCommand, storeMembers } from '../mesh/roles.ts';
import { describeMember } from '../stores/member-view.ts';
import type { NodeSelectorSpec } from '../config/node-selector.ts';
import { resolveNode } from '../faults/node-selector.ts';

export type { ProbeResult } from '../core/run-result.ts';

const hostPort = async (t: Target, sel: NodeSelectorSpec, port: string): Promise<{ node: string; port: number }> => {
  const node = await resolveNode(t, sel, undefined, undefined, 0);
  return { node, port: t.nodes[node]!.hostPorts[port]! };
};

export function withTimeout<T>(p: Promise<T>, ms: number, what = 'answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function check(p: Probe, t: Target): Promise<{ ok: boolean; detail: string }> {
  if ('http' in p) {
    const url = 'url' in p.http ? p.http.url : `http://${t.host}:${t.nodes[p.http.node]!.hostPorts[p.http.port]}${p.http.path}`;
    const r = await fetch(url, { method: p.http.method ?? 'GET', signal: AbortSignal.timeout(p.timeout) });
    await r.arrayBuffer();
    const ok = p.http.status ? p.http.status.includes(r.status) : r.status >= 200 && r.status < 300;
    return { ok, detail: `${r.status} from ${url}` };
  }
  if ('sql' in p) {
    const { node, port } = await hostPort(t, p.sql.node, p.sql.port);
    const c = new pg.Client({ host: t.host, port, user: p.sql.user, password: p.sql.password, database: p.sql.database, connectionTimeoutMillis: p.timeout, query_timeout: p.timeout });
    c.on('error', () => undefined);
    try {
      await c.connect();
      const r = await c.query({ text: p.sql.query, rowMode: 'array' });
      const got = (r.rows[0] as unknown[] | undefined)?.[0];
      const ok = p.sql.expect === undefined || String(got) === String(p.sql.expect);
      return { ok, detail: `${node}: ${JSON.stringify(got ?? null)}${ok ? '' : `, expected ${JSON.stringify(p.sql.expect)}`}` };
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  if ('redis' in p) {
    const { node, port } = await hostPort(t, p.redis.node, p.redis.port);
    const got = await redisCommand(t.host, port, p.redis.command as [string, ...string[]]);
    const text = String(got);
    const ok = (p.redis.expect === undefined || text === String(p.redis.expect)) && (p.redis.contains === undefined || text.includes(p.redis.contains));
    const shown = p.redis.contains === undefined ? JSON.stringify(got) : `${ok ? 'has' : 'lacks'} ${JSON.stringify(p.redis.contains)}`;
    return { ok, detail: `${node}: ${shown}${p.redis.expect !== undefined && !ok ? `, expected ${JSON.stringify(p.redis.expect)}` : ''}` };
  }
  // A replica is a member streaming from the current primary, not one merely configured as one.
  const members = [...(await storeMembers(t, p.role.store))];
  const primaries = members.filter(([, v]) => v.role === 'primary').length;
  const replicas = members.filter(([, v]) => v.role === 'replica').length;
  const counted = `counted ${primaries} ${primaries === 1 ? 'primary' : 'primaries'}, ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`;
  return {
    ok: primaries === p.role.primaries && (p.role.replicas === undefined || replicas === p.role.replicas),
    detail: `${members.map(([m, v]) => describeMember(m, v)).join('; ')}; ${counted}`,
  };
}

export async function runProbe(p: Probe, t: Target): Promise<ProbeResult> {
  const t0 = performance.now();
  try {
    const r = await withTimeout(check(p, t), p.timeout + 500);
    return { ...r, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, detail: (e as Error).message, ms: Math.round(performance.now() - t0) };
  }
}
