// Workload client kinds through the runner against the real mesh: the reference app's HTTP API by
// a request template, Postgres straight through HAProxy, Redis through its Sentinels, and a user's
// TypeScript client each run a short workload whose writes are acknowledged and read back by the
// ledger through the client; a read-back that misses a write says so; a user client that throws
// is reported as the client's bug, not as failed writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExperiment, currentPrimary, defineExperiment, readJournal, runExperiment, type ExperimentInput, type RunResult } from '../../src/index.ts';
import { WorkloadSchema } from '../../src/config/workload.ts';
import { openClient } from '../../src/workload/clients/open.ts';
import type { ClientInput } from '../../src/runner/experiment-input.ts';
import { TEST_ENV } from './env.ts';
import { appUrl, pgQuery, redisDirect, rejudgedRunsDir, target } from './helpers.ts';

const runsDir = rejudgedRunsDir('fl-clients-', 5);
const env = { ...process.env, ...TEST_ENV, FAULTLINE_RUNS_DIR: runsDir, FAULTLINE_LOCK_DIR: runsDir };
const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/clients/${f}`, import.meta.url));
const app = appUrl('app-a');
const RATE = 20;

/** A short run: 1.5 s of writes, a 1 s latency fault on an app's link (so recovery is judged), and the ledger read back. */
async function runWith(name: string, client: ClientInput): Promise<RunResult> {
  const input: ExperimentInput = {
    name, description: `mesh test: the ${client.kind} client`,
    steadyState: { probes: [{ name: 'postgres: one primary', role: { store: 'postgres' } }], every: '500ms' },
    workload: { rate: RATE, client, warmup: '1500ms', cooldown: '1s', timeout: '5s' },
    timeline: [{ fault: { kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 20 }, for: '1s' }, { wait: '500ms' }],
    slos: { maxLostAckedWrites: 0 },
  };
  const r = checkExperiment(defineExperiment(input));
  if (!r.value) throw new Error(JSON.stringify(r.problems));
  return runExperiment(r.value, { seed: 1, env, runsDir, observe: false });
}

interface Line { type: string; op?: string; client?: string; outcome?: string; error?: string; nodes?: Record<string, string>; stores?: Record<string, { primary: string | null; asked: number; missing: string[]; error?: string }> }
const journalOf = (r: RunResult) => readJournal(r.reports.journal).entries as unknown as Line[];

/** The run acknowledged (nearly) every write, the ledger read them all back through the client, none missing. */
function expectReadBack(r: RunResult, lane: string, column: string, primary: string): Line[] {
  const w = r.judgement.writes;
  const lines = journalOf(r);
  const ledger = lines.find((l) => l.type === 'ledger')!.stores!;
  console.log(`[clients] ${r.experiment}: ${w.attempted} attempted, ${w.acked} acked, ${w.failed} failed, ${w.indeterminate} indeterminate; ledger ${JSON.stringify(ledger)}; verdict ${r.verdict}`);
  expect(r.verdict, r.reasons.join('; ')).toBe('pass');
  expect(w.attempted).toBeGreaterThanOrEqual(RATE * 2);
  expect(w.acked).toBe(w.attempted);
  expect(Object.keys(ledger)).toEqual([column]);
  expect(ledger[column]).toEqual({ primary, asked: w.acked, missing: [] });
  expect(r.judgement.slos.find((s) => s.name === 'maxLostAckedWrites')).toMatchObject({ verdict: 'pass', observed: 0 });
  expect(new Set(lines.filter((l) => l.type === 'op-invoke').map((l) => l.client))).toEqual(new Set([lane]));
  return lines;
}

describe('workload client kinds through the runner', () => {
  it('http: the app\'s own API by a request template, read back by GET /writes/{id}', async () => {
    const r = await runWith('http-api', {
      kind: 'http', name: 'orders', url: `${app}/writes`, body: { id: '{id}', value: 'from the http client' }, okStatuses: [201],
      readBack: { url: `${app}/writes/{id}`, present: [200], absent: [404] },
    });
    expectReadBack(r, 'orders', 'orders', 'orders');
    // The app says which Postgres row it wrote: the value from the template is there.
    const [row] = await pgQuery<{ value: string }>((await currentPrimary(target, 'postgres'))!, 'SELECT value FROM writes WHERE id = $1', [`${r.runId}-0`]);
    expect(row?.value).toBe('from the http client');
  });

  it('sql: straight to Postgres through HAProxy, into faultline\'s own table, each write naming the primary', async () => {
    const primary = (await currentPrimary(target, 'postgres'))!;
    const r = await runWith('sql', { kind: 'sql' });
    const lines = expectReadBack(r, 'sql', 'postgres', primary);
    const acked = lines.filter((l) => l.type === 'op-end' && l.outcome === 'ok');
    expect(new Set(acked.map((l) => l.nodes?.postgres))).toEqual(new Set([primary]));
    const [{ n }] = await pgQuery<{ n: string }>(primary, 'SELECT count(*) AS n FROM faultline_writes WHERE id LIKE $1', [`${r.runId}-%`]) as [{ n: string }];
    expect(Number(n)).toBe(acked.length);
  });

  it('redis: SET through the Sentinels\' master, each write naming it', async () => {
    const master = (await currentPrimary(target, 'redis'))!;
    const r = await runWith('redis', { kind: 'redis', keyPrefix: 'fl-test:' });
    const lines = expectReadBack(r, 'redis', 'redis', master);
    const acked = lines.filter((l) => l.type === 'op-end' && l.outcome === 'ok');
    expect(new Set(acked.map((l) => l.nodes?.redis))).toEqual(new Set([master]));
    expect(await redisDirect(master, (c) => c.exists(`fl-test:${r.runId}-0`, `fl-test:${r.runId}-${acked.length - 1}`))).toBe(2);
  });

  it('user: a TypeScript client runs, its writes read back through its own readBack', async () => {
    const r = await runWith('user-ts', { kind: 'user', module: fixture('app-fetch-client.ts'), store: 'postgres', options: { url: app } });
    const primary = (await currentPrimary(target, 'postgres'))!;
    const lines = expectReadBack(r, 'user', 'postgres', primary);
    expect(new Set(lines.filter((l) => l.type === 'op-end' && l.outcome === 'ok').map((l) => l.nodes?.postgres))).toEqual(new Set([primary]));
  });

  it('user: an exception inside the client is the client\'s bug, not a failed write, and the verdict is unknown', async () => {
    const r = await runWith('user-buggy', { kind: 'user', module: fixture('app-fetch-client.ts'), store: 'postgres', options: { url: app, bugEvery: 4 } });
    const w = r.judgement.writes;
    const lines = journalOf(r);
    const bugs = lines.filter((l) => l.type === 'op-end' && l.outcome === 'client-bug');
    console.log(`[clients] ${r.experiment}: ${w.attempted} attempted, ${w.acked} acked, ${w.clientBugs} client bugs (e.g. ${bugs[0]?.error}); verdict ${r.verdict}: ${r.reasons[0]}`);
    expect(bugs.length).toBeGreaterThanOrEqual(10);
    expect(bugs[0]!.error).toMatch(/^TypeError: .*\(at .*app-fetch-client\.ts:\d+:\d+\)$/);
    // Left out of every figure: not attempted, not failed, not indeterminate; the rest judged as usual.
    expect(w).toMatchObject({ clientBugs: bugs.length, failed: 0, indeterminate: 0, lost: 0 });
    expect(w.acked).toBe(w.attempted);
    expect(w.attempted + w.clientBugs).toBe(lines.filter((l) => l.type === 'op-invoke').length);
    // Nor asked of the ledger: a bug's op is no evidence of what the system did.
    expect(lines.find((l) => l.type === 'ledger')!.stores!.postgres!.asked).toBe(w.acked);
    expect(r.verdict).toBe('unknown');
    expect(r.reasons).toEqual([expect.stringMatching(new RegExp(`^client bug: the workload client threw on ${bugs.length} write\\(s\\), which are no evidence either way \\(first, ${r.runId}-0: TypeError: `))]);
    expect(readFileSync(join(r.runDir, 'report.html'), 'utf8')).toContain(`${bugs.length} client bug(s), not counted`);
  });
});

describe('read-back through a client finds what is there and only that', () => {
  const w = (client: unknown) => WorkloadSchema.parse({ client, timeout: 5000 });
  const ids = (p: string) => [0, 1, 2].map((i) => `readback-${p}-${Date.now()}-${i}`);

  it('sql, redis and http each miss the write deleted behind their back', async () => {
    const pg = (await currentPrimary(target, 'postgres'))!;
    const redis = (await currentPrimary(target, 'redis'))!;
    const cases = [
      { client: { kind: 'sql' }, remove: (id: string) => pgQuery(pg, 'DELETE FROM faultline_writes WHERE id = $1', [id]) },
      { client: { kind: 'redis' }, remove: (id: string) => redisDirect(redis, (c) => c.del(`faultline:${id}`)) },
      { client: { kind: 'http', url: `${app}/writes`, body: { id: '{id}' }, readBack: { url: `${app}/writes/{id}` } },
        remove: async (id: string) => { await pgQuery(pg, 'DELETE FROM writes WHERE id = $1', [id]); await redisDirect(redis, (c) => c.del(`write:${id}`)); } },
    ];
    for (const { client, remove } of cases) {
      const c = await openClient(target, w(client));
      try {
        const written = ids(client.kind);
        expect((await Promise.all(written.map((id) => c.send(c.lanes[0]!, id)))).map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok']);
        await remove(written[1]!);
        expect([...await c.readBack!([...written, `never-written-${client.kind}`])].sort(), client.kind).toEqual([written[0], written[2]]);
      } finally {
        await c.close();
      }
    }
  });
});
