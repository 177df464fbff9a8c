// Node fault `restart`: stop then start the node. Heal: make sure it runs.
import { GraceS, nodeAction } from './node-action.ts';

export default nodeAction('restart', { graceS: GraceS }, (nodes, node, s) => nodes.restart(node, s.graceS), (node) => `restart ${node}`);
