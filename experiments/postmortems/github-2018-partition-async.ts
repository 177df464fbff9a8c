// github-2018-partition with GitHub's asynchronous replication: what the old primary acknowledged
// but had not shipped when the cut began is not on the promoted standby. See that file.
import { partition43s } from './github-2018-partition.ts';

export default partition43s('github-2018-partition-async',
  'The 43-second cut of the primary\'s zone with asynchronous replication, as GitHub ran MySQL: the standby is promoted without the writes it had not received.',
  ['async-replication']);
