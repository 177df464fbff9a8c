// A generic role probe: a question each member answers with text that says primary or replica,
// asked one of three ways: GET on one of its published ports (the body, or one field of its JSON),
// an SQL query (the first column of the first row, with the store's credentials), or a command
// run inside its container. Two patterns (case-insensitive) say which answers mean which role.
import { z } from 'zod';
import type { StoreCredentials, Target, TargetNode } from '../config/target.ts';
import { HttpLink } from '../observe/http-link.ts';
import type { Probe } from '../observe/poller.ts';
import { Nodes } from '../runtime/docker.ts';
import { hostPort, pgSession } from './ask-node.ts';

const Pattern = z.string().min(1).refine((s) => {
  try {
    new RegExp(s, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const Answers = {
  /** An answer matching this means primary. */
  primary: Pattern.default('^(primary|master|leader|read-write|rw)$'),
  /** An answer matching this means replica. */
  replica: Pattern.default('^(replica|slave|standby|secondary|follower|read-only|ro)$'),
};

export const RoleProbeSchema = z.union([
  z.object({ http: z.object({ port: z.string().min(1), path: z.string().startsWith('/').default('/'), json: z.string().min(1).optional() }).strict(), ...Answers }).strict(),
  z.object({ sql: z.object({ port: z.string().min(1).default('postgres'), query: z.string().min(1) }).strict(), ...Answers }).strict(),
  z.object({ command: z.array(z.string().min(1)).min(1), ...Answers }).strict(),
]);
export type RoleProbeSpec = z.infer<typeof RoleProbeSchema>;

/** The published port a role probe asks, if it asks one. */
export const probePort = (r: RoleProbeSpec): string | undefined => ('http' in r ? r.http.port : 'sql' in r ? r.sql.port : undefined);

/** `a.b.0.c` in a JSON body, as text. */
export function jsonField(body: string, path: string): string {
  let v: unknown = JSON.parse(body);
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (v === undefined) throw new Error(`no field ${path} in the answer`);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** An answer as a role: primary, replica, or the answer itself (shortened) when it says neither. */
export function roleOfAnswer(r: RoleProbeSpec, answer: string): string {
  const text = answer.trim();
  if (new RegExp(r.primary, 'i').test(text)) return 'primary';
  if (new RegExp(r.replica, 'i').test(text)) return 'replica';
  return text === '' ? 'unknown' : text.slice(0, 40);
}

/** The answer's text, asked once (fresh connections: for role queries, not for polling). */
export async function askRole(t: Target, n: TargetNode, r: RoleProbeSpec, creds: StoreCredentials | undefined, ms = 1500): Promise<string> {
  if ('http' in r) {
    const res = await fetch(`http://${t.host}:${hostPort(n, r.http.port)}${r.http.path}`, { signal: AbortSignal.timeout(ms) });
    const body = await res.text();
    return r.http.json ? jsonField(body, r.http.json) : body;
  }
  if ('sql' in r) {
    return pgSession(t.host, hostPort(n, r.sql.port), creds!, async (q) => {
      const row = (await q(r.sql.query))[0];
      return row ? String(Object.values(row)[0]) : '';
    }, ms);
  }
  const out = await new Nodes(t).exec(n.name, r.command);
  if (out.exitCode !== 0) throw new Error(`${r.command.join(' ')} exited ${out.exitCode} in ${n.name}`);
  return out.output;
}

const COMMAND_TIMEOUT_MS = 5000;

/** The observers' poll of one member: HTTP on a kept-alive connection, SQL and commands afresh each time. */
export function roleProbe(t: Target, n: TargetNode, r: RoleProbeSpec, creds: StoreCredentials | undefined, timeoutMs: number): Probe {
  if ('http' in r) {
    const http = new HttpLink(t.host, hostPort(n, r.http.port), timeoutMs);
    return {
      poll: async (signal) => {
        const body = (await http.get(r.http.path, signal)).body;
        return roleOfAnswer(r, r.http.json ? jsonField(body, r.http.json) : body);
      },
      connected: () => http.connected,
      close: () => http.close(),
    };
  }
  // A command is a docker exec: hundreds of ms on a quiet machine, seconds on a busy one.
  const ms = 'command' in r ? COMMAND_TIMEOUT_MS : timeoutMs;
  return { poll: async () => roleOfAnswer(r, await askRole(t, n, r, creds, ms)), connected: () => false, close: async () => undefined, timeoutMs: ms };
}
