// Load fault `storm`: a crowd of clients on an app node, through the same Toxiproxy link the
// workload uses (so link faults on it apply to the crowd too): `connections` lanes sending
// requests to `path` back to back, each on a new connection when `reconnect` (a crowd arriving)
// or on a kept-alive one. Heal stops the crowd; what it sent is noted in the journal.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { startStorm } from '../runtime/storm.ts';
import { once, type FaultKind, type FaultLoad } from './types.ts';

const direct: FaultLoad = { storm: (_node, spec) => startStorm(spec) };

const schema = z.object({
  kind: z.literal('storm'),
  node: z.string().min(1),
  connections: z.number().int().min(1).max(1000).default(100),
  path: z.string().startsWith('/').default('/readyz'),
  reconnect: z.boolean().default(true),
  timeoutMs: z.number().int().min(100).max(60_000).default(2000),
}).strict();

const storm = {
  kind: 'storm',
  schema,
  async inject(raw, ctx, id) {
    const spec = raw as z.infer<typeof schema>;
    const ports = ctx.target.externalClient?.hostPorts ?? {};
    const port = ports[spec.node];
    if (port === undefined) {
      throw new FaultlineError(ErrorCodes.UNKNOWN_NODE, `storm: ${spec.node} is not reached by the external client in ${ctx.target.projectName}`, `use one of: ${Object.keys(ports).join(', ') || '(none: the target declares no externalClient links)'}`);
    }
    const stop = await (ctx.load ?? direct).storm(spec.node, { host: ctx.target.host, port, path: spec.path, connections: spec.connections, reconnect: spec.reconnect, timeoutMs: spec.timeoutMs });
    return {
      id, kind: 'storm',
      description: `storm on ${spec.node}${spec.path}: ${spec.connections} client(s), ${spec.reconnect ? 'a new connection per request' : 'kept-alive connections'}`,
      injectedAt: Date.now(),
      heal: once(async () => {
        const s = await stop();
        ctx.note?.('storm-stats', { node: spec.node, ...s });
      }),
    };
  },
} satisfies FaultKind<unknown>;
export default storm;
