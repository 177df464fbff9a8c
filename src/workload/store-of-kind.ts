// A target names its stores freely ("postgres", "orders", ...): the store a kind of node belongs
// to is the one whose members are of that kind.
import type { Target } from '../config/target.ts';

export const storeOfKind = (t: Target, kind: string): string | undefined =>
  Object.entries(t.stores).find(([, s]) => s.members.some((m) => t.nodes[m]?.kind === kind))?.[0];
