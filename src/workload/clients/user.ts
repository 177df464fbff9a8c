// Client kind `user`: a client written in TypeScript (user-client.ts), loaded from `module` (the
// default export, or an export named `client`). Its answers are checked: an exception that is not
// the network's (classify.ts, isTransportError), or an answer that is not an outcome, is a client
// bug, recorded as such (outcome 'client-bug'), never as a failed write.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import { classifyError, errorText, isTransportError } from '../classify.ts';
import type { SendResult } from '../open-loop.ts';
import { columnOf, laneColumnProblems, laneFields, storeProblems } from './common.ts';
import { laneOf, type ClientKind } from './types.ts';
import type { ClientAnswer, WorkloadClient } from './user-client.ts';

const schema = z.object({
  kind: z.literal('user'),
  ...laneFields,
  /** The module's path, relative to the experiment file (or, inline, the working directory). */
  module: z.string().min(1),
  /** Handed to the client's open(ctx) as ctx.options. */
  options: z.unknown().optional(),
}).strict();

type User = z.infer<typeof schema>;

/** The client a module exports, or why there is none. */
export async function loadUserClient(path: string): Promise<WorkloadClient> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load ${path}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const c = (mod.default ?? mod.client) as Partial<WorkloadClient> | undefined;
  if (!c || typeof c !== 'object') throw new Error(`${path} exports no client: export default { invoke(op) { ... } } (or export const client)`);
  if (typeof c.invoke !== 'function') throw new Error(`the client ${path} exports has no invoke(op) function`);
  for (const f of ['open', 'readBack', 'close'] as const) if (c[f] !== undefined && typeof c[f] !== 'function') throw new Error(`the client's ${f} is not a function`);
  return c as WorkloadClient;
}

const OUTCOMES = new Set(['ok', 'fail', 'indeterminate']);

/** Where in the user's module an exception was thrown: its first stack frame there. */
function whereIn(e: unknown, path: string): string | undefined {
  const line = ((e as Error)?.stack ?? '').split('\n').find((l) => l.includes(path));
  return line?.match(/\(([^()]+)\)\s*$/)?.[1] ?? line?.trim().replace(/^at /, '');
}

const bug = (what: string): SendResult => ({ outcome: 'client-bug', error: what.replace(/\s+/g, ' ').slice(0, 300) });

/** An answer as the journal takes it, or a client bug saying what was wrong with it. */
function answerOf(a: unknown): SendResult {
  if (typeof a === 'string' && OUTCOMES.has(a)) return { outcome: a as ClientAnswer['outcome'] };
  const x = a as Partial<ClientAnswer> | null;
  if (!x || typeof x !== 'object' || !OUTCOMES.has(x.outcome as string)) return bug(`invoke answered ${JSON.stringify(a)?.slice(0, 80) ?? String(a)}, not 'ok', 'fail', 'indeterminate' or { outcome }`);
  if (x.nodes !== undefined && (typeof x.nodes !== 'object' || Object.values(x.nodes).some((v) => typeof v !== 'string'))) return bug('invoke answered nodes that are not { store: node } strings');
  return {
    outcome: x.outcome!,
    ...(typeof x.error === 'string' && x.error ? { error: x.error.slice(0, 200) } : {}),
    ...(Number.isInteger(x.status) ? { status: x.status } : {}),
    ...(x.nodes && Object.keys(x.nodes).length ? { nodes: x.nodes } : {}),
  };
}

const TIMED_OUT = Symbol('timed out');

const user: ClientKind<User, z.input<typeof schema>> = {
  kind: 'user',
  schema,
  readBack: { needs: 'readBack', in: 'module' },
  withBase: (c, base) => (isAbsolute(c.module) ? c : { ...c, module: resolve(base, c.module) }),
  async check(c, ctx) {
    const problems: ErrorDetail[] = [...storeProblems(c, ctx), ...laneColumnProblems(c, undefined, ctx)];
    try {
      const client = await loadUserClient(c.module);
      return { problems, readsBack: typeof client.readBack === 'function' };
    } catch (e) {
      problems.push({ path: `${ctx.path}.module`, message: (e as Error).message, fix: 'give the path of a module exporting a client (see "Workload clients" in the README)' });
      return { problems, readsBack: false };
    }
  },
  async open(c, { target, workload: w }) {
    const client = await loadUserClient(c.module);
    try {
      await client.open?.({ target, options: c.options, timeoutMs: w.timeout });
    } catch (e) {
      throw new Error(`the client's open() threw: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
    const lane = laneOf(c);
    const column = columnOf(c);
    const userRead = client.readBack?.bind(client);
    return {
      lanes: [lane],
      storesOf: () => [column],
      async send(_lane, id) {
        const ac = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<typeof TIMED_OUT>((res) => {
          timer = setTimeout(() => (ac.abort(new DOMException('the workload timeout passed', 'TimeoutError')), res(TIMED_OUT)), w.timeout);
        });
        try {
          const a = await Promise.race([Promise.resolve().then(() => client.invoke({ id, lane, signal: ac.signal, timeoutMs: w.timeout })), timedOut]);
          return a === TIMED_OUT ? { outcome: 'indeterminate', error: 'timeout' } : answerOf(a);
        } catch (e) {
          if (isTransportError(e)) return { outcome: classifyError(e), error: errorText(e) };
          const where = whereIn(e, c.module);
          return bug(`${(e as Error)?.name ?? 'thrown'}: ${(e as Error)?.message ?? String(e)}${where ? ` (at ${where})` : ''}`);
        } finally {
          clearTimeout(timer);
        }
      },
      ...(userRead ? {
        async readBack(ids: string[]) {
          let got: unknown;
          try {
            got = await userRead(ids);
          } catch (e) {
            throw new Error(isTransportError(e) ? `the client's readBack could not reach the system: ${errorText(e)}` : `the client's readBack threw (a bug in the client): ${(e as Error)?.message ?? String(e)}`, { cause: e });
          }
          if (!got || typeof (got as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof got === 'string') throw new Error(`the client's readBack answered ${typeof got}, not the ids it found (a Set or an array): a bug in the client`);
          return new Set([...(got as Iterable<unknown>)].filter((x): x is string => typeof x === 'string'));
        },
      } : {}),
      close: async () => {
        await client.close?.();
      },
    };
  },
};

export default user;
