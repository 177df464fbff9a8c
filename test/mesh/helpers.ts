// Shared helpers for tests against the real mesh.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, expect } from 'vitest';
import { rejudge } from '../../src/runner/rejudge.ts';
import { Redis } from 'ioredis';
import { Nodes, ToxiproxyApi, injectFault, status, storeMembers, type ActiveFault, type Target } from '../../src/index.ts';
import { describeMember } from '../../src/stores/member-view.ts';
import { testTarget } from './env.ts';

export const target: Target = testTarget();
export const toxiproxy = new ToxiproxyApi(target.toxiproxyUrl);
export const nodes = new Nodes(target);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until fn returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

export const hostPort = (node: string, port: string): number => {
  const p = target.nodes[node]?.hostPorts[port];
  if (p === undefined) throw new Error(`${node} has no published ${port} port`);
  return p;
};

/** The workload's own links: client -> app-X through Toxiproxy. */
export const appUrl = (app: string): string => `http://${target.host}:${target.externalClient!.hostPorts[app]}`;

export async function write(app: string, id: string, timeoutMs = 3000): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${appUrl(app)}/writes`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }), signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

export async function read(app: string, id: string): Promise<{ status: number; body: { postgres: { found?: boolean; node?: string }; redis: { found?: boolean } } }> {
  const r = await fetch(`${appUrl(app)}/writes/${id}`, { signal: AbortSignal.timeout(3000) });
  return { status: r.status, body: (await r.json()) as never };
}

/** Inject a fault through the harness's interpreter; the returned heal is idempotent. */
let seq = 0;
export async function inject(spec: Record<string, unknown>): Promise<ActiveFault> {
  return injectFault(spec, { target, toxiproxy, nodes, runId: 'test' }, `f${seq++}`);
}

/** Run a shell command inside a node; true when it exits 0 within its own timeout. */
export async function reaches(from: string, shell: string): Promise<boolean> {
  const r = await nodes.exec(from, ['sh', '-c', shell]);
  return r.exitCode === 0;
}

export async function pgQuery<T extends pg.QueryResultRow>(node: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ host: target.host, port: hostPort(node, 'postgres'), user: 'app', password: 'app', database: 'app', connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

export async function redisDirect<T>(node: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const port = hostPort(node, node.startsWith('sentinel') ? 'sentinel' : 'redis');
  const r = new Redis({ host: target.host, port, lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/**
 * What keeps the mesh from its steady state, or [] when it is in it: every node running and
 * healthy, one primary per store and every other member streaming from it, every Sentinel naming
 * that primary. "Healthy" alone is not enough: a restarted Redis master is healthy while it still
 * claims to be master, and a file that started then saw two masters.
 */
export async function unsteady(): Promise<string[]> {
  const s = await status(target);
  const why = s.nodes.filter((n) => n.state !== 'running' || (n.health !== 'healthy' && n.health !== '-')).map((n) => `${n.node} ${n.state}/${n.health}`);
  for (const store of Object.keys(target.stores)) {
    const members = await storeMembers(target, store);
    const primaries = [...members].filter(([, v]) => v.role === 'primary').map(([m]) => m);
    if (primaries.length !== 1) why.push(`${store}: ${primaries.length} primaries`);
    for (const [m, v] of members) if (v.role !== 'primary' && v.role !== 'replica') why.push(describeMember(m, v));
    if (store === 'redis' && primaries.length === 1) {
      for (const n of s.nodes.filter((x) => x.kind === 'sentinel')) if (n.role !== `sees ${primaries[0]}`) why.push(`${n.node}: ${n.role}, not ${primaries[0]}`);
    }
  }
  return why;
}

/** Wait until the mesh is back in its steady state (after a kill and restart): see unsteady(). */
export async function waitHealthy(timeoutMs = 90_000): Promise<void> {
  let why: string[] = [];
  await waitFor('the mesh steady (every node healthy, one primary per store, every replica streaming)', async () => (why = await unsteady()).length === 0, timeoutMs, 500)
    .catch((e: Error) => { throw new Error(`${e.message}; still: ${why.join('; ')}`); });
}

export const ms = (t0: number): number => Math.round(performance.now() - t0);

/**
 * Re-judge every run recorded under `runsDir` from its journal alone and compare it with what the
 * live run concluded: the same verdict and byte-identical figures. Returns how many were compared.
 */
export async function expectRejudgeAgrees(runsDir: string): Promise<number> {
  let n = 0;
  for (const name of readdirSync(runsDir)) {
    const dir = join(runsDir, name);
    const result = join(dir, 'result.json');
    if (name === 'latest' || !existsSync(result)) continue;
    const live = JSON.parse(readFileSync(result, 'utf8')) as { verdict: string; reasons: string[]; judgement: unknown };
    const again = await rejudge(dir);
    expect(JSON.stringify(again.judgement), `${name}: re-judged figures differ from the live run's`).toBe(JSON.stringify(live.judgement));
    expect(again.run.verdict, `${name}: re-judged verdict`).toBe(live.verdict);
    n++;
  }
  console.log(`[rejudge] ${n} run(s) under ${runsDir} re-judged from their journals: identical figures and verdicts`);
  return n;
}

/**
 * A fresh runs directory for this file: after the file, every run in it is re-judged and compared
 * (expectRejudgeAgrees; `expected` runs, when given), and the directory is removed.
 */
export function rejudgedRunsDir(prefix: string, expected?: number): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // A failed test's runs are its evidence: kept, and where they are said, instead of removed.
  let failed = false;
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' || task.result?.errors?.length) failed = true;
  });
  afterAll(async () => {
    try {
      const n = await expectRejudgeAgrees(dir);
      if (expected !== undefined) expect(n).toBe(expected);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      if (failed) console.log(`[runs] a test failed: its runs are kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  });
  return dir;
}
