// The `exec` step: a command run once in a node (promote a standby by hand). Its spec is checked
// like any fault's; a non-zero exit or a hung command is a fault that failed to inject; nothing
// is healed; the exit code and output are noted for the journal.
import { describe, expect, it } from 'vitest';
import { ErrorCodes, checkFault, faultKindNames, injectFault, loadTarget, type FaultContext } from '../../src/index.ts';
import { recordingContext } from '../../src/runner/recorder.ts';

type Exec = (node: string, cmd: string[]) => Promise<{ exitCode: number; output: string }>;

function context(exec: Exec) {
  const calls: { node: string; cmd: string[] }[] = [];
  const notes: { type: string; data: Record<string, unknown> }[] = [];
  // Only exec may be used: anything else a one-shot command touched would be a bug.
  const nodes = new Proxy({}, {
    get: (_t, k) => {
      if (k === 'exec') return (node: string, cmd: string[]) => (calls.push({ node, cmd }), exec(node, cmd));
      throw new Error(`touched nodes.${String(k)}`);
    },
  });
  const ctx: FaultContext = {
    target: loadTarget(), toxiproxy: {} as never, nodes: nodes as never, runId: 'unit',
    roles: async () => new Map([['pg-a', 'replica'], ['pg-b', 'primary']]),
    note: (type, data) => notes.push({ type, data }),
  };
  return { ctx, calls, notes };
}

describe('exec step', () => {
  it('is a fault kind with a 30 s default timeout', () => {
    expect(faultKindNames()).toContain('exec');
    expect(checkFault({ kind: 'exec', node: 'pg-a', command: ['true'] }).value).toEqual({ kind: 'exec', node: 'pg-a', command: ['true'], timeoutS: 30 });
  });

  it('refuses an empty command, a string command, a bad timeout and unknown fields, each at its path', () => {
    const paths = (spec: Record<string, unknown>) => checkFault({ kind: 'exec', node: 'pg-a', ...spec }).problems.map((p) => p.path).sort();
    expect(paths({ command: [] })).toEqual(['fault.command']);
    expect(paths({ command: 'pg_ctl promote' })).toEqual(['fault.command']);
    expect(paths({ command: ['true'], timeoutS: 0 })).toEqual(['fault.timeoutS']);
    expect(paths({ command: ['true'], signal: 'SIGKILL' })).toEqual(['fault']);
  });

  it('runs the command in the node a role selector names, notes its result, and heals nothing', async () => {
    const { ctx, calls, notes } = context(async () => ({ exitCode: 0, output: 'server promoted\n' }));
    const f = await injectFault({ kind: 'exec', node: { replicaOf: 'postgres' }, command: ['pg_ctlcluster', '15', 'main', 'promote'] }, ctx, 'promote');
    expect(calls).toEqual([{ node: 'pg-a', cmd: ['pg_ctlcluster', '15', 'main', 'promote'] }]);
    expect(f.description).toBe('ran pg_ctlcluster 15 main promote in pg-a');
    expect(notes.find((n) => n.type === 'exec-result')?.data).toEqual({ node: 'pg-a', command: ['pg_ctlcluster', '15', 'main', 'promote'], exitCode: 0, output: 'server promoted' });
    await f.heal();
    expect(calls).toHaveLength(1);
  });

  it('fails to inject when the command exits non-zero, with its output', async () => {
    const { ctx, notes } = context(async () => ({ exitCode: 1, output: 'pg_ctl: server is not in standby mode' }));
    const err = await injectFault({ kind: 'exec', node: 'pg-b', command: ['pg_ctlcluster', '15', 'main', 'promote'] }, ctx, 'p').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.EXEC_FAILED, message: 'pg_ctlcluster 15 main promote in pg-b exited with 1' });
    expect((err as { details: { message: string }[] }).details[0]!.message).toContain('not in standby mode');
    expect(notes.find((n) => n.type === 'exec-result')?.data).toMatchObject({ exitCode: 1 });
  });

  it('fails to inject when the command outlives its timeout', async () => {
    const { ctx } = context(() => new Promise(() => undefined));
    const t0 = Date.now();
    await expect(injectFault({ kind: 'exec', node: 'pg-a', command: ['sleep', '99'], timeoutS: 0.2 }, ctx, 'p')).rejects.toMatchObject({ code: ErrorCodes.EXEC_FAILED, message: expect.stringContaining('within 0.2 s') });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('is checked by a dry injection that runs nothing and holds no node', async () => {
    const touched = new Set<string>();
    const dry = recordingContext(loadTarget(), 'dry', (k) => touched.add(k));
    const f = await injectFault({ kind: 'exec', node: { replicaOf: 'postgres' }, command: ['true'] }, dry, 'p');
    expect(f.description).toMatch(/^ran true in pg-/);
    expect(touched.size).toBe(0);
  });
});
