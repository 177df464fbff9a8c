// Which node a probe or a node fault addresses: a name, or a role resolved when it is used (not
// when the experiment is written): "the current Postgres primary" is whoever Patroni says it is
// then. Only the data lives here; resolving a selector against the live system is the faults'
// job (src/faults/node-selector.ts).
import { z } from 'zod';

export const NodeSelector = z.union([
  z.string().min(1),
  z.object({ primaryOf: z.string().min(1) }).strict(),
  z.object({ replicaOf: z.string().min(1) }).strict(),
]);
export type NodeSelectorSpec = z.infer<typeof NodeSelector>;

export const describeSelector = (s: NodeSelectorSpec): string =>
  typeof s === 'string' ? s : 'primaryOf' in s ? `the ${s.primaryOf} primary` : `a ${s.replicaOf} replica`;
