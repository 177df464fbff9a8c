// Node fault `kill`: send a signal (SIGKILL by default) to the node's container. Heal: start it
// again if it died.
import { z } from 'zod';
import { nodeAction } from './node-action.ts';

const Signal = z.string().regex(/^(SIG)?[A-Z0-9]+$/, 'a signal name such as SIGKILL or SIGTERM').default('SIGKILL');

export default nodeAction('kill', { signal: Signal }, (nodes, node, s) => nodes.kill(node, s.signal), (node, s) => `${s.signal} to ${node}`);
