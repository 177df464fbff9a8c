// Node fault `stop`: a clean stop (SIGTERM, then SIGKILL after graceS). Heal: start it.
import { GraceS, nodeAction } from './node-action.ts';

export default nodeAction('stop', { graceS: GraceS }, (nodes, node, s) => nodes.stop(node, s.graceS), (node) => `stop ${node}`);
