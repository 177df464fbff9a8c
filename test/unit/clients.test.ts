// Workload client kinds without Docker: each kind's schema refuses bad config with the field's
// path; answers are classified by the shared rules (an HTTP API here is a local server standing in
// for one); a user's client is checked, its exceptions recorded as client bugs; validation refuses
// an SLO that needs read-back on a client that cannot read back, naming what would; the ledger
// reads through a client; client bugs are left out of every figure and make the verdict unknown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExperiment, defineExperiment, loadTarget, referenceTargetPath, validateExperiment, type ExperimentInput, type FaultlineError } from '../../src/index.ts';
import { WorkloadSchema } from '../../src/config/workload.ts';
import { checkClient } from '../../src/workload/clients/registry.ts';
import { openClient } from '../../src/workload/clients/open.ts';
import { fillRequest, fillUrl } from '../../src/workload/clients/template.ts';
import { classifyStatus, classifyStoreError, isTransportError } from '../../src/workload/classify.ts';
import { readLedger } from '../../src/workload/ledger.ts';
import { askReadBack, serveReadBack } from '../../src/runner/read-back-port.ts';
import { buildHistory } from '../../src/history/model.ts';
import { readBuilder } from '../../src/history/read-parallel.ts';
import { judge } from '../../src/checks/judge.ts';
import { runVerdict } from '../../src/checks/run-verdict.ts';
import { Journal, STORES } from '../fixtures/history.ts';

const target = loadTarget(referenceTargetPath(), {});
const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/clients/${f}`, import.meta.url));
const problemsOf = (raw: unknown) => checkClient(raw).problems.map((p) => `${p.path}: ${p.message}`);
const workload = (client: unknown, more: Record<string, unknown> = {}) => WorkloadSchema.parse({ client, timeout: 300, ...more });

describe('client config', () => {
  it('names the client kinds when the kind is unknown, and keeps app the default', () => {
    const r = checkClient({ kind: 'grpc' });
    expect(r.problems[0]).toMatchObject({ path: 'workload.client.kind', message: 'unknown client kind "grpc"' });
    expect(r.problems[0]!.fix).toBe('use one of: app, http, sql, redis, user');
    expect(WorkloadSchema.parse({}).client).toEqual({ kind: 'app' });
    expect(checkClient({ kind: 'app' }).value).toEqual({ kind: 'app' });
    expect(problemsOf({ kind: 'app', via: ['app-a'] })).toEqual(['workload.client: Unrecognized key: "via"']);
  });

  it('http: every write is its own ({id} somewhere), and a read-back says per id or per batch', () => {
    expect(problemsOf({ kind: 'http', url: 'http://127.0.0.1:3000/writes' })).toEqual(['workload.client.url: names no write: put {id} in url, body or a header, so every write is its own']);
    expect(problemsOf({ kind: 'http', url: 'http://127.0.0.1:3000/writes', body: { id: '{id}' } })).toEqual([]);
    expect(problemsOf({ kind: 'http', url: 'http://127.0.0.1:3000/w/{id}', readBack: { url: 'http://127.0.0.1:3000/w' } })).toEqual(['workload.client.readBack.url: names no write: put {id} (one request per write) or {ids} (one per batch) in url or body']);
    expect(problemsOf({ kind: 'http', url: 'http://127.0.0.1:3000/w/{id}', readBack: { url: 'http://127.0.0.1:3000/w/{id}', present: [200], absent: [200, 404] } })).toEqual(['workload.client.readBack.absent: 200 cannot mean both present and absent']);
    expect(problemsOf({ kind: 'http', url: 'ftp://x/{id}', okStatus: [201] })).toEqual(expect.arrayContaining(['workload.client.url: an absolute http:// or https:// URL', 'workload.client: Unrecognized key: "okStatus"']));
    const v = checkClient({ kind: 'http', url: 'http://127.0.0.1:3000/writes', body: { id: '{id}' } }).value!;
    expect(v).toMatchObject({ method: 'POST', okStatuses: [200, 201, 204], headers: {} });
  });

  it('sql, redis: names and URLs are checked; a URL is not mixed with the target\'s endpoint', () => {
    expect(problemsOf({ kind: 'sql', table: 'Writes; DROP TABLE x' })).toEqual(['workload.client.table: a lower-case SQL name: letters, digits and _']);
    expect(problemsOf({ kind: 'sql', url: 'postgres://a:b@127.0.0.1:5432/app', endpoint: 'haproxy-a' })).toEqual(['workload.client.url: a URL carries its own host and login: give url, or endpoint/credentials, not both']);
    expect(checkClient({ kind: 'sql' }).value).toEqual({ kind: 'sql', table: 'faultline_writes' });
    expect(problemsOf({ kind: 'redis', url: 'http://127.0.0.1:6379' })).toEqual(['workload.client.url: a redis:// URL']);
    expect(checkClient({ kind: 'redis' }).value).toEqual({ kind: 'redis', keyPrefix: 'faultline:' });
  });

  it('user: the module is found relative to the experiment file', () => {
    const r = checkExperiment(defineExperiment({ name: 'x', description: 'd', timeline: [{ wait: '1s' }], workload: { client: { kind: 'user', module: './memory-client.ts' } } }), fixture('experiment.ts'));
    expect(r.value?.workload?.client).toEqual({ kind: 'user', module: fixture('memory-client.ts') });
    expect(checkExperiment({ name: 'x', description: 'd', timeline: [{ wait: '1s' }], workload: { client: { kind: 'user' } } }).problems.map((p) => p.path)).toEqual(['workload.client.module']);
  });
});

describe('classification shared by every kind', () => {
  it('an HTTP answer: an ok status acknowledges, a 4xx refused it, anything else is not known', () => {
    expect(classifyStatus(202, [202])).toBe('ok');
    expect(classifyStatus(201, [202])).toBe('indeterminate');
    expect(classifyStatus(409, [201])).toBe('fail');
    expect(classifyStatus(503, [201])).toBe('indeterminate');
  });
  it('a driver\'s error: refused or read-only before writing fails; a reset or a timeout is not known', () => {
    expect(classifyStoreError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('fail');
    expect(classifyStoreError(new Error('cannot execute INSERT in a read-only transaction'))).toBe('fail');
    expect(classifyStoreError(new Error("READONLY You can't write against a read only replica."))).toBe('fail');
    expect(classifyStoreError(new Error('Connection terminated unexpectedly'))).toBe('indeterminate');
    expect(classifyStoreError(new Error('Query read timeout'))).toBe('indeterminate');
  });
  it('tells the network\'s errors from a bug', () => {
    expect(isTransportError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))).toBe(true);
    expect(isTransportError(new DOMException('x', 'TimeoutError'))).toBe(true);
    expect(isTransportError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransportError(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isTransportError(new Error('ECONNRESETTING is not a code'))).toBe(false);
  });
});

describe('http client against a local server', () => {
  let server: Server;
  let base = '';
  const stored = new Set<string>();
  const seen: { method: string; url: string; body: string; key?: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body, key: req.headers['idempotency-key'] as string | undefined });
        const id = decodeURIComponent(req.url!.split('/').pop()!);
        if (req.method === 'POST' && req.url === '/things') {
          const got = JSON.parse(body) as { id: string };
          if (got.id.endsWith('-1')) return res.writeHead(409).end('exists');
          if (got.id.endsWith('-2')) return res.writeHead(503).end('busy');
          if (got.id.endsWith('-3')) return; // no answer: times out
          stored.add(got.id);
          return res.writeHead(201).end();
        }
        if (req.method === 'GET' && req.url!.startsWith('/things/')) return res.writeHead(stored.has(id) ? 200 : 404).end();
        if (req.method === 'POST' && req.url === '/lookup') {
          const ids = (JSON.parse(body) as { ids: string[] }).ids;
          return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ found: ids.filter((x) => stored.has(x)) }));
        }
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the template with the id, classifies each answer, and reads back per id and per batch', async () => {
    const spec = { kind: 'http', url: `${base}/things`, headers: { 'Idempotency-Key': '{id}' }, body: { id: '{id}', note: 'write {id}' }, okStatuses: [201] };
    // A generous timeout: the write the server never answers takes that long; the others must not.
    const c = await openClient(target, workload({ ...spec, readBack: { url: `${base}/things/{id}` } }, { timeout: 2000 }));
    expect(c.lanes).toEqual(['http']);
    expect(c.storesOf('http')).toEqual(['http']);
    const answers = await Promise.all(['t-0', 't-1', 't-2', 't-3'].map((id) => c.send('http', id)));
    expect(answers.map((a) => `${a.outcome} ${a.error ?? ''}`)).toEqual(['ok ', 'fail HTTP 409: exists', 'indeterminate HTTP 503: busy', 'indeterminate timeout']);
    expect(seen.find((s) => s.key === 't-0')).toMatchObject({ method: 'POST', body: '{"id":"t-0","note":"write t-0"}' });
    expect([...await c.readBack!(['t-0', 't-1', 't-9'])]).toEqual(['t-0']);
    await c.close();

    const batch = await openClient(target, workload({ ...spec, readBack: { method: 'POST', url: `${base}/lookup`, body: { ids: '{ids}' }, foundIds: 'found', batchSize: 2 } }));
    expect([...await batch.readBack!(['t-0', 't-1', 't-2'])]).toEqual(['t-0']);
    expect(seen.filter((s) => s.url === '/lookup').map((s) => s.body)).toEqual(['{"ids":["t-0","t-1"]}', '{"ids":["t-2"]}']);
    await batch.close();

    // A read-back answer that is neither present nor absent leaves the ledger column unread.
    const odd = await openClient(target, workload({ ...spec, readBack: { url: `${base}/nowhere/{id}`, absent: [] } }));
    await expect(odd.readBack!(['t-0'])).rejects.toThrow(/answered 500, neither present \(200\) nor absent \(none\)/);
    await odd.close();
  });

  it('a refused connection is a failed write', async () => {
    const c = await openClient(target, workload({ kind: 'http', url: 'http://127.0.0.1:1/w/{id}' }));
    expect(await c.send('http', 'x-1')).toMatchObject({ outcome: 'fail', error: 'ECONNREFUSED' });
    expect(c.readBack).toBeUndefined();
    await c.close();
  });

  it('templates: ids percent-encoded in a URL, a batch comma-joined; as they are in a text body', () => {
    expect(fillUrl('http://h/w/{id}?x={id}', ['a b'])).toBe('http://h/w/a%20b?x=a%20b');
    expect(fillUrl('http://h/w?ids={ids}', ['a', 'b/c'])).toBe('http://h/w?ids=a,b%2Fc');
    expect(fillRequest({ headers: {}, body: 'id={id}' }, ['r-1'])).toEqual({ headers: {}, body: 'id=r-1' });
    expect(fillRequest({ headers: { 'Content-Type': 'text/plain' }, body: { ids: '{ids}' } }, ['a', 'b'])).toEqual({ headers: { 'content-type': 'text/plain' }, body: '{"ids":["a","b"]}' });
  });
});

describe('a user client', () => {
  const open = (mode: string) => openClient(target, workload({ kind: 'user', module: fixture('memory-client.ts'), options: { mode } }));

  it('runs: its answers are taken, its writes read back', async () => {
    const c = await open('fail-every-3rd');
    const answers = await Promise.all(['u-0', 'u-1', 'u-2'].map((id) => c.send('user', id)));
    expect(answers).toEqual([{ outcome: 'ok', nodes: { memory: 'here' } }, { outcome: 'ok', nodes: { memory: 'here' } }, { outcome: 'fail', error: 'refused by the system' }]);
    expect([...await c.readBack!(['u-0', 'u-1', 'u-2'])]).toEqual(['u-0', 'u-1']);
    await c.close();
  });

  it('an exception inside invoke is a client bug, not a failed write; so is an answer that is no outcome', async () => {
    const c = await open('throw');
    const a = await c.send('user', 'u-0');
    expect(a.outcome).toBe('client-bug');
    expect(a.error).toMatch(/^TypeError: cannot read properties of undefined \(reading 'id'\) \(at \/.*\/memory-client\.ts:\d+:\d+\)$/);
    await c.close();
    const g = await open('garbage');
    expect(await g.send('user', 'u-0')).toEqual({ outcome: 'client-bug', error: 'invoke answered "success", not \'ok\', \'fail\', \'indeterminate\' or { outcome }' });
  });

  it('a network error it lets escape is classified by the shared rules; one that never answers times out', async () => {
    expect(await (await open('refused')).send('user', 'u-0')).toEqual({ outcome: 'fail', error: 'ECONNREFUSED' });
    const t0 = performance.now();
    expect(await (await open('hang')).send('user', 'u-0')).toEqual({ outcome: 'indeterminate', error: 'timeout' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('a readBack that throws is reported as the client\'s bug', async () => {
    const c = await open('readback-throws');
    await expect(c.readBack!(['u-0'])).rejects.toThrow('the client\'s readBack threw (a bug in the client): off by one');
  });

  it('a module that exports no client cannot open', async () => {
    const notAClient = fileURLToPath(new URL('../fixtures/history.ts', import.meta.url));
    const e = (await openClient(target, workload({ kind: 'user', module: notAClient })).catch((x: unknown) => x)) as FaultlineError;
    expect(e.code).toBe('FL_CLIENT_UNAVAILABLE');
    expect(e.message).toBe(`the workload's user client could not open: ${notAClient} exports no client: export default { invoke(op) { ... } } (or export const client)`);
  });
});

describe('validation', () => {
  const base: ExperimentInput = { name: 'x', description: 'd', timeline: [{ wait: '1s' }], slos: { maxLostAckedWrites: 0 } };
  const validate = async (input: Partial<ExperimentInput>) => {
    const r = checkExperiment(defineExperiment({ ...base, ...input }), fixture('experiment.ts'));
    if (!r.value) throw new Error(JSON.stringify(r.problems));
    return (await validateExperiment(r.value, { seed: 1, env: {} })).problems;
  };

  it('refuses maxLostAckedWrites on a client that cannot read back, naming the field to add and the kinds that can', async () => {
    const http = await validate({ workload: { client: { kind: 'http', url: 'http://127.0.0.1:13000/writes', body: { id: '{id}' } } } });
    expect(http).toEqual([{
      path: 'slos.maxLostAckedWrites',
      message: 'maxLostAckedWrites judges acknowledged writes by reading them back after the run, and this http client cannot read its writes back',
      fix: 'add workload.client.readBack, or use a client kind that always reads back (app, sql, redis), or drop maxLostAckedWrites',
    }]);
    const user = await validate({ workload: { client: { kind: 'user', module: './write-only-client.ts' } } });
    expect(user).toEqual([expect.objectContaining({ path: 'slos.maxLostAckedWrites', fix: expect.stringContaining(`export a readBack(ids) function from the client in ${fixture('write-only-client.ts')}`) })]);
  });

  it('accepts it where the client reads back, and anything without that SLO', async () => {
    expect(await validate({ workload: { client: { kind: 'http', url: 'http://127.0.0.1:13000/writes', body: { id: '{id}' }, readBack: { url: 'http://127.0.0.1:13000/writes/{id}' } } } })).toEqual([]);
    expect(await validate({ workload: { client: { kind: 'user', module: './memory-client.ts' } } })).toEqual([]);
    expect(await validate({ workload: { client: { kind: 'sql' } } })).toEqual([]);
    expect(await validate({ workload: { client: { kind: 'redis' } } })).toEqual([]);
    expect(await validate({ workload: {} })).toEqual([]);
    expect(await validate({ slos: {}, workload: { client: { kind: 'user', module: './write-only-client.ts' } } })).toEqual([]);
  });

  it('checks each kind against the target: stores, endpoints, loopback, a module that loads, app-only fields', async () => {
    const paths = async (input: Partial<ExperimentInput>) => (await validate({ slos: {}, ...input })).map((p) => `${p.path}: ${p.message}`);
    expect(await paths({ workload: { client: { kind: 'sql', store: 'redis' } } })).toEqual(['workload.client.store: store "redis" has no postgres members']);
    expect(await paths({ workload: { client: { kind: 'sql', endpoint: 'redis-a' } } })).toEqual(['workload.client.endpoint: redis-a publishes no "postgres" port']);
    expect(await paths({ workload: { client: { kind: 'redis', url: 'redis://10.0.0.1:6379' } } })).toEqual([
      'workload.client.url: 10.0.0.1 is not a loopback address',
      // Its writes are counted under its own name unless it says which store they land in.
      'workload.client.name: "redis" is the name of a store of faultline, and this client does not write it',
    ]);
    expect(await paths({ workload: { client: { kind: 'redis', url: 'redis://127.0.0.1:16379', store: 'redis' } } })).toEqual([]);
    expect(await paths({ workload: { client: { kind: 'http', url: 'http://example.com/w/{id}' } } })).toEqual(['workload.client.url: example.com is not a loopback address']);
    expect(await paths({ workload: { client: { kind: 'http', name: 'redis', url: 'http://127.0.0.1:1/w/{id}' } } })).toEqual(['workload.client.name: "redis" is the name of a store of faultline, and this client does not write it']);
    expect(await paths({ workload: { client: { kind: 'user', module: './nowhere.ts' } } })).toEqual([expect.stringMatching(/^workload\.client\.module: cannot load .*nowhere\.ts/)]);
    expect(await paths({ workload: { via: ['app-a'], direct: ['redis'], client: { kind: 'redis' } } })).toEqual([
      'workload.via: only the app client writes through app nodes; this workload\'s client is "redis"',
      'workload.direct: direct lanes go beside the app client; this workload\'s client is "redis"',
    ]);
  });
});

describe('the ledger through a client', () => {
  const ops = () => {
    const j = new Journal();
    j.ops('http', 0, 50, 10, () => ({ stores: ['http'] }));
    j.op({ client: 'http', due: 60, outcome: 'fail', stores: ['http'] });
    return buildHistory(j.lines).ops;
  };
  const w = workload({ kind: 'http', url: 'http://127.0.0.1:1/w/{id}' });

  it('asks every write but the failed ones, and names what is missing', async () => {
    const asked: string[] = [];
    const ledger = await readLedger(target, ops(), w, async (ids) => (asked.push(...ids), new Set(ids.filter((id) => id !== 'r1-2'))));
    expect(asked).toEqual(['r1-0', 'r1-1', 'r1-2', 'r1-3', 'r1-4']);
    expect(ledger).toEqual({ http: { primary: 'http', asked: 5, missing: ['r1-2'] } });
  });

  it('a client that cannot read back, or whose readBack fails, leaves the column unread', async () => {
    expect(await readLedger(target, ops(), w)).toEqual({ http: { primary: null, asked: 5, missing: [], error: 'the http client cannot read its writes back' } });
    expect((await readLedger(target, ops(), w, async () => { throw new Error('503'); })).http!.error).toBe('reading back through the http client failed: 503');
  });

  it('crosses from the judging worker to the run\'s thread and back, errors included', async () => {
    const served = serveReadBack(async (ids) => {
      if (ids.includes('boom')) throw new Error('the client\'s readBack threw (a bug in the client): boom');
      return new Set(ids.filter((id) => id.startsWith('y')));
    });
    const ask = askReadBack(served.port);
    expect([...await ask(['y1', 'n1', 'y2'])]).toEqual(['y1', 'y2']);
    await expect(ask(['boom'])).rejects.toThrow('a bug in the client');
    served.close();
  });
});

describe('client bugs in the history', () => {
  it('are left out of every figure, listed apart, and make the verdict unknown', async () => {
    const j = new Journal({ slos: { maxLostAckedWrites: 0 } });
    const ids = j.ops('user', 0, 100, 10, () => ({ stores: ['user'] }));
    // Two writes on which the client threw: not failed, not indeterminate, not unavailable.
    for (const id of [ids[3], ids[7]]) {
      const end = j.lines.find((l) => l.type === 'op-end' && l.op === id)!;
      Object.assign(end, { outcome: 'client-bug', error: 'TypeError: x is undefined' });
    }
    j.lines.push({ t: 200, type: 'ledger', stores: { user: { primary: 'user', asked: 8, missing: [] } } }, { t: 201, type: 'run-complete' });
    const h = buildHistory(j.lines);
    expect(h.ops.length).toBe(8);
    expect(h.ops.indexOf(ids[4]!)).toBe(3);
    const judgement = judge(h, { stores: STORES, slos: { maxLostAckedWrites: 0 } });
    expect(judgement.writes).toMatchObject({ attempted: 8, acked: 8, failed: 0, indeterminate: 0, lost: 0, clientBugs: 2, clientBugExamples: [{ id: ids[3], client: 'user', error: 'TypeError: x is undefined' }, { id: ids[7], client: 'user', error: 'TypeError: x is undefined' }] });
    expect(judgement.unavailableByClient.user).toEqual([]);
    expect(judgement.slos.find((x) => x.name === 'maxLostAckedWrites')).toMatchObject({ verdict: 'pass', observed: 0 });
    const run = runVerdict(h, judgement);
    expect(run.verdict).toBe('unknown');
    expect(run.reasons[0]).toBe(`client bug: the workload client threw on 2 write(s), which are no evidence either way (first, ${ids[3]}: TypeError: x is undefined)`);
 
    // The threaded reader (large journals) codes the same lines to the same table.
    const dir = mkdtempSync(join(tmpdir(), 'fl-bugs-'));
    try {
      writeFileSync(join(dir, 'journal.jsonl'), j.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const par = (await readBuilder(join(dir, 'journal.jsonl'), { minBytes: 0, blockBytes: 512 })).builder.finish();
      expect(par.ops.all()).toEqual(h.ops.all());
      expect(par.ops.clientBugs).toEqual(h.ops.clientBugs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
