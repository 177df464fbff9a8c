// Node fault `pause`: freeze every process of the node (cgroup freezer): it holds its sockets
// but answers nothing, like a long GC pause or a hung VM. Heal: unpause.
import { nodeAction } from './node-action.ts';

export default nodeAction('pause', {}, (nodes, node) => nodes.pause(node), (node) => `pause ${node}`);
