// Node step `exec`: run a command inside a node once, as an operator would (promote a standby,
// fence a node) where the system has no automatic failover. Nothing to heal: what the command
// changed is the experiment's point. A non-zero exit or a command that outlives `timeoutS` means
// the step did not happen, so it fails to inject (the run is then unknown, like any fault that
// could not be injected). The exit code and output are noted in the journal either way.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { NodeSelector } from '../config/node-selector.ts';
import { resolveNode } from './node-selector.ts';
import type { FaultKind } from './types.ts';

const schema = z.object({
  kind: z.literal('exec'),
  node: NodeSelector,
  /** argv, run without a shell (write `['sh', '-c', '…']` for one). */
  command: z.array(z.string()).min(1, 'the command and its arguments, e.g. ["pg_ctlcluster", "15", "main", "promote"]'),
  timeoutS: z.number().positive().max(600).default(30),
}).strict();

const tail = (s: string, n = 400): string => (s.length > n ? `…${s.slice(-n)}` : s).trim();

export default {
  kind: 'exec',
  schema,
  async inject(raw, ctx, id) {
    const spec = raw as z.infer<typeof schema>;
    const node = await resolveNode(ctx.target, spec.node, ctx.roles, ctx.note);
    const shown = `${spec.command.join(' ')} in ${node}`;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FaultlineError(ErrorCodes.EXEC_FAILED, `${shown} did not finish within ${spec.timeoutS} s`, 'raise timeoutS, or check the command by hand: docker compose exec')), spec.timeoutS * 1000);
    });
    const r = await Promise.race([ctx.nodes.exec(node, spec.command), timedOut]).finally(() => clearTimeout(timer));
    ctx.note?.('exec-result', { node, command: spec.command, exitCode: r.exitCode, output: tail(r.output, 2000) });
    if (r.exitCode !== 0) {
      throw new FaultlineError(ErrorCodes.EXEC_FAILED, `${shown} exited with ${r.exitCode}`, 'check the command by hand (docker compose exec) before putting it in a timeline', { details: [{ path: node, message: tail(r.output) || '(no output)' }] });
    }
    return { id, kind: 'exec', description: `ran ${shown}`, injectedAt: Date.now(), heal: async () => undefined };
  },
} satisfies FaultKind<unknown>;
