// Client kind `http`: any HTTP API. Each write is one request from a template with the write's id
// in it; its answer is acknowledged when its status is one of `okStatuses`, refused (not written)
// on a 4xx, not known otherwise or without an answer (classify.ts). Writes are read back by a
// second template, one request per id (`{id}`) or per batch (`{ids}`), told present or absent by
// its status, or, for a batch, by the ids its JSON answer lists.
import { z } from 'zod';
import { Agent, request } from 'undici';
import type { ErrorDetail } from '../../core/errors.ts';
import { classifyError, classifyStatus, errorText } from '../classify.ts';
import { columnOf, laneColumnProblems, laneFields, loopbackProblems, storeProblems } from './common.ts';
import { at, fillRequest, fillUrl, usesId, usesIds, type Body } from './template.ts';
import { laneOf, type ClientKind } from './types.ts';

const Status = z.number().int().min(100).max(599);
const Method = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const BodySchema: z.ZodType<Body> = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const Url = z.string().regex(/^https?:\/\/[^/\s]+/, 'an absolute http:// or https:// URL');

const ReadBack = z.object({
  method: Method.default('GET'),
  url: Url,
  headers: z.record(z.string(), z.string()).default({}),
  body: BodySchema.optional(),
  /** Per id: the write is there. For a batch: the answer can be read. */
  present: z.array(Status).min(1).default([200]),
  /** Per id: the write is not there. Any other status leaves the ledger's column unread. */
  absent: z.array(Status).default([404]),
  /** A batch only: the dot path, in its JSON answer, of the array of ids found ('' : the answer is that array). */
  foundIds: z.string().default(''),
  batchSize: z.number().int().min(1).max(10_000).default(100),
  /** Requests at once while reading back. */
  concurrency: z.number().int().min(1).max(64).default(8),
}).strict().superRefine((r, ctx) => {
  const one = usesId(r.url, r.body);
  const many = usesIds(r.url, r.body);
  if (one === many) ctx.addIssue({ code: 'custom', path: ['url'], message: one ? 'uses both {id} and {ids}' : 'names no write: put {id} (one request per write) or {ids} (one per batch) in url or body' });
  const both = r.present.filter((s) => r.absent.includes(s));
  if (both.length) ctx.addIssue({ code: 'custom', path: ['absent'], message: `${both.join(', ')} cannot mean both present and absent` });
});

const schema = z.object({
  kind: z.literal('http'),
  ...laneFields,
  method: Method.default('POST'),
  url: Url,
  headers: z.record(z.string(), z.string()).default({}),
  body: BodySchema.optional(),
  /** Statuses that acknowledge the write. */
  okStatuses: z.array(Status).min(1).default([200, 201, 204]),
  readBack: ReadBack.optional(),
}).strict().superRefine((c, ctx) => {
  // Every write must be its own: a template without the id would send the same write every time.
  if (!usesId(c.url, c.body, c.headers)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'names no write: put {id} in url, body or a header, so every write is its own' });
});

type Http = z.infer<typeof schema>;
type ReadBackSpec = NonNullable<Http['readBack']>;

async function call(spec: { method: string; url: string; headers: Record<string, string>; body?: Body | undefined }, ids: string[], timeoutMs: number, dispatcher: Agent) {
  const filled = fillRequest(spec, ids);
  const r = await request(fillUrl(spec.url, ids), { method: spec.method as 'GET', headers: filled.headers, ...(filled.body !== undefined ? { body: filled.body } : {}), signal: AbortSignal.timeout(timeoutMs), dispatcher });
  return { status: r.statusCode, text: await r.body.text() };
}

/** The ids of `ids` the read-back template finds, or a thrown error saying which answer could not be read. */
async function readBack(rb: ReadBackSpec, ids: string[], dispatcher: Agent): Promise<Set<string>> {
  const found = new Set<string>();
  const batch = usesIds(rb.url, rb.body);
  const jobs = batch ? Array.from({ length: Math.ceil(ids.length / rb.batchSize) }, (_, i) => ids.slice(i * rb.batchSize, (i + 1) * rb.batchSize)) : ids.map((id) => [id]);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const group = jobs[next++]!;
      const { status, text } = await call(rb, group, 15_000, dispatcher);
      const where = `${rb.method} ${fillUrl(rb.url, group.slice(0, 1))}${batch ? ` (${group.length} ids)` : ''}`;
      if (!batch) {
        if (rb.present.includes(status)) found.add(group[0]!);
        else if (!rb.absent.includes(status)) throw new Error(`${where} answered ${status}, neither present (${rb.present.join(', ')}) nor absent (${rb.absent.join(', ') || 'none'})`);
        continue;
      }
      if (!rb.present.includes(status)) throw new Error(`${where} answered ${status}, not ${rb.present.join(' or ')}`);
      let list: unknown;
      try {
        list = at(JSON.parse(text), rb.foundIds);
      } catch {
        throw new Error(`${where} answered with no JSON`);
      }
      if (!Array.isArray(list)) throw new Error(`${where}: the answer has no array of ids at "${rb.foundIds}"`);
      const asked = new Set(group);
      for (const id of list) if (typeof id === 'string' && asked.has(id)) found.add(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(rb.concurrency, jobs.length) }, worker));
  return found;
}

const http: ClientKind<Http, z.input<typeof schema>> = {
  kind: 'http',
  schema,
  readBack: { needs: 'readBack', in: 'config' },
  async check(c, ctx) {
    const problems: ErrorDetail[] = [
      ...loopbackProblems(c.url, `${ctx.path}.url`, ctx.allowRemote),
      ...(c.readBack ? loopbackProblems(c.readBack.url, `${ctx.path}.readBack.url`, ctx.allowRemote) : []),
      ...storeProblems(c, ctx),
      ...laneColumnProblems(c, undefined, ctx),
    ];
    return { problems, readsBack: c.readBack !== undefined };
  },
  async open(c, { workload: w }) {
    const dispatcher = new Agent({ keepAliveTimeout: 4000, connections: 256 });
    const lane = laneOf(c);
    const column = columnOf(c);
    return {
      lanes: [lane],
      storesOf: () => [column],
      send: async (_lane, id) => {
        try {
          const { status, text } = await call(c, [id], w.timeout, dispatcher);
          const outcome = classifyStatus(status, c.okStatuses);
          return { outcome, status, ...(outcome !== 'ok' ? { error: `HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 150)}` : ''}` } : {}) };
        } catch (e) {
          return { outcome: classifyError(e), error: errorText(e) };
        }
      },
      ...(c.readBack ? { readBack: (ids: string[]) => readBack(c.readBack!, ids, dispatcher) } : {}),
      close: () => dispatcher.close(),
    };
  },
};

export default http;
