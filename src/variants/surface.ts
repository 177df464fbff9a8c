// One system a variant changes, on every node that runs it: read each node's values, set them,
// and say whether what the values are meant to do is in force beyond them.
import type { Target, TargetNode } from '../config/target.ts';
import type { SurfaceName } from './types.ts';

/** node -> setting -> value. */
export type ByNode = Record<string, Record<string, unknown>>;

export interface Surface {
  name: SurfaceName;
  /** Its nodes on this target ([]: none, so a variant that needs it cannot apply). */
  nodes(t: Target): TargetNode[];
  /** Every node's value of each key; throws naming a node that does not answer or a key it does not have. */
  read(t: Target, keys: string[]): Promise<ByNode>;
  /** Set each node's values; returns notes for people (e.g. a node whose config file could not be rewritten). */
  write(t: Target, values: ByNode): Promise<string[]>;
  /** What the values do, checked on the running system: `off` says what is not so yet; `seen` what was found. */
  inForce?(t: Target, wanted: Record<string, unknown>): Promise<{ off?: string; seen: string[] }>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
