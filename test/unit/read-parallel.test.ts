// Reading a journal on two threads (history/read-parallel.ts) must build the history that reading
// it line by line builds: the same ops in the same order with the same names, the same evidence,
// and the same judgement, for the journals the recorder writes and for every odd one a hand, an
// older version or a crash can leave. Small blocks put block edges everywhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { SloSchema } from '../../src/config/slo.ts';
import type { History } from '../../src/history/model.ts';
import { readBuilder } from '../../src/history/read-parallel.ts';
import { readHistory } from '../../src/history/read.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-read-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STORES = { postgres: { members: ['pg-a', 'pg-b'], kind: 'postgres' }, redis: { members: ['redis-a', 'redis-b'], kind: 'redis', masterName: 'mymaster' } };
const SLOS = SloSchema.parse({ maxFailoverTime: 20_000, maxUnavailableTime: 10_000, maxP99DuringFault: 500, noSplitBrain: true, maxLostAckedWrites: 0 });

/** Everything a history holds, ops as objects, for a deep comparison. */
const view = (h: History) => ({ ...h, ops: h.ops.all(), opNames: { clients: h.ops.clients.list, stores: h.ops.stores.list, nodes: h.ops.nodes.list } });

async function both(name: string, lines: string[], blockBytes: number) {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  const seq = readHistory(path);
  const par = await readBuilder(path, { minBytes: 0, blockBytes });
  return { seq, par: par.builder.finish(), threads: par.threads, badLines: par.badLines };
}

const line = (o: Record<string, unknown>) => JSON.stringify(o);

/** A run as the recorder writes it, with a fault, a failover, failures and a ledger. */
function recorded(n: number): string[] {
  const out = [line({ t: 0, type: 'run-start', runId: 'r1', experiment: 'e', wallClock: '2026-01-01T00:00:00Z', stores: STORES, slos: SLOS })];
  out.push(line({ t: 1, type: 'observe', source: 'pg-recovery', node: 'pg-a', store: 'postgres', value: 'primary' }), line({ t: 1, type: 'observe', source: 'pg-recovery', node: 'pg-b', store: 'postgres', value: 'replica' }));
  for (let i = 0; i < n; i++) {
    const t = i * 10;
    if (i === Math.floor(n / 2)) out.push(line({ t, type: 'fault-inject', id: 'f1' }), line({ t, type: 'touch', id: 'f1', key: 'node:pg-a' }), line({ t, type: 'fault-injected', id: 'f1', kind: 'kill', description: 'SIGKILL to pg-a' }));
    if (i === Math.floor(n / 2) + 40) out.push(line({ t, type: 'observe', source: 'pg-recovery', node: 'pg-b', store: 'postgres', value: 'primary' }), line({ t: t + 1, type: 'fault-healed', id: 'f1' }));
    out.push(line({ t, type: 'op-invoke', op: `r1-${i}`, client: i % 2 ? 'app-b' : 'app-a', scheduledT: t - 0.5, stores: ['postgres', 'redis'] }));
    const bad = i > n / 2 && i < n / 2 + 40;
    if (i > 0) out.push(line({ t: t + 3, type: 'op-end', op: `r1-${i - 1}`, outcome: bad ? 'indeterminate' : 'ok', ...(bad ? { status: 503, nodes: { postgres: 'pg-b' }, error: 'Reached the "max" retries\n€' } : { status: 201, nodes: { postgres: i > n / 2 ? 'pg-b' : 'pg-a', redis: 'redis-a' } }) }));
  }
  out.push(line({ t: n * 10 + 5, type: 'ledger', stores: { postgres: { primary: 'pg-b', asked: n, missing: [] }, redis: { primary: 'redis-a', asked: n, missing: [] } } }), line({ t: n * 10 + 6, type: 'run-complete' }));
  return out;
}

describe('reading a journal on two threads', () => {
  it('builds the same history and judgement as reading it line by line, with block edges everywhere', async () => {
    const lines = recorded(3000);
    for (const blockBytes of [4096, 50_000, 200_000]) {
      const { seq, par, threads } = await both(`rec-${blockBytes}.jsonl`, lines, blockBytes);
      expect(threads).toBe(2);
      expect(par.ops.length).toBe(3000);
      expect(view(par)).toEqual(view(seq));
      expect(JSON.stringify(judge(par, { stores: STORES, slos: SLOS }))).toBe(JSON.stringify(judge(seq, { stores: STORES, slos: SLOS })));
    }
  });

  it('odd lines (old shapes, odd ids, torn, blank, out of order, repeated ends) come out as line by line', async () => {
    const lines = recorded(400);
    const odd = [
      line({ t: 5, type: 'op-invoke', op: 'r1-0007', client: 'app-a', scheduledT: 2, stores: ['postgres'] }),  // leading zero: not the generator's
      line({ t: 6, type: 'op-end', op: 'r1-0007', outcome: 'ok', node: 'pg-a' }),                              // older: `node`
      line({ t: 7, type: 'op-invoke', op: 'hand-made', client: 'curl', scheduledT: 1 }),                        // older: no stores
      line({ t: 8, type: 'op-end', op: 'hand-made', outcome: 'weird', status: 70_000, error: 42 }),
      '   ', '{"t": 9, "type": "op-en', '',
      line({ t: 10, type: 'op-end', op: 'r1-3', outcome: 'fail' }),                                             // ended twice
      line({ t: 11, type: 'op-end', op: 'nobody', outcome: 'ok' }),
      line({ t: 12, type: 'op-invoke', op: 'r1-x', client: 'app-c', scheduledT: 0, stores: ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'] }),
      line({ t: 13, type: 'op-end', op: 'r1-x', outcome: 'ok', nodes: { s9: 'n9', postgres: 'pg-z' } }),
      line({ t: 14, type: 'op-end', op: 'r1-5', outcome: 'ok', nodes: 'pg-a' }),
    ];
    // Spread them through the journal, so they fall in both threads' blocks.
    const mixed = [...lines];
    odd.forEach((l, k) => mixed.splice(1 + Math.floor(((k + 1) * (mixed.length - 2)) / (odd.length + 1)), 0, l));
    const { seq, par, threads, badLines } = await both('odd.jsonl', mixed, 2048);
    expect(threads).toBe(2);
    expect(badLines).toBe(1);
    expect(view(par)).toEqual(view(seq));
  });

  it('holds for random journals and block sizes', async () => {
    const name = fc.constantFrom('app-a', 'app-b', 'pg-a', 'pg-b', 'redis-a', 'x"y', 'é€', '');
    const entry = fc.oneof(
      fc.record({ type: fc.constant('op-invoke'), op: fc.oneof(fc.nat(300).map((i) => `r1-${i}`), fc.string()), client: name, scheduledT: fc.double({ min: -5, max: 5000, noNaN: true }), stores: fc.array(fc.constantFrom('postgres', 'redis', 'other'), { maxLength: 3 }) }),
      fc.record({ type: fc.constant('op-end'), op: fc.nat(300).map((i) => `r1-${i}`), outcome: fc.constantFrom('ok', 'fail', 'indeterminate', 'pending'), status: fc.option(fc.nat(600), { nil: undefined }), error: fc.option(fc.string(), { nil: undefined }), nodes: fc.option(fc.dictionary(fc.constantFrom('postgres', 'redis'), name), { nil: undefined }) }),
      fc.record({ type: fc.constant('observe'), source: fc.constant('redis-role'), node: name, store: fc.constant('redis'), value: fc.constantFrom('primary', 'replica', 'down') }),
    );
    await fc.assert(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 400 }), fc.integer({ min: 64, max: 8192 }), async (es, blockBytes) => {
      const lines = [line({ t: 0, type: 'run-start', runId: 'r1', stores: STORES, slos: SLOS }), ...es.map((e, i) => line({ t: i, ...e }))];
      const { seq, par } = await both('prop.jsonl', lines, blockBytes);
      expect(view(par)).toEqual(view(seq));
    }), { numRuns: 25 });
  }, 120_000);

  it('a journal with a second run-start is read line by line', async () => {
    const lines = [...recorded(200), line({ t: 1, type: 'run-start', runId: 'r2', stores: STORES, slos: SLOS }), line({ t: 2, type: 'op-invoke', op: 'r2-0', client: 'app-a', scheduledT: 2, stores: ['postgres'] })];
    const { seq, par, threads } = await both('two-runs.jsonl', lines, 2048);
    expect(threads).toBe(1);
    expect(view(par)).toEqual(view(seq));
    expect(par.runId).toBe('r2');
  });
});
