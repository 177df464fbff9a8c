// Shared by the partition kinds: blackhole a set of links, each in the streams that carry data
// from one side to the other. One-way cuts blackhole only the A -> B data: the upstream of links
// A opened to B, and the downstream of links B opened to A.
import type { Link } from '../config/target.ts';
import { addToxics } from './link-toxic.ts';
import { once, type FaultContext } from './types.ts';

export interface Cut { link: Link; stream: 'upstream' | 'downstream' | 'both' }

/** Links between side A and side B. `oneWay`: only data flowing from A to B is dropped. */
export function cutsBetween(links: Link[], a: (node: string) => boolean, b: (node: string) => boolean, oneWay = false): Cut[] {
  const cuts: Cut[] = [];
  for (const link of links) {
    if (a(link.from) && b(link.to)) cuts.push({ link, stream: oneWay ? 'upstream' : 'both' });
    else if (b(link.from) && a(link.to)) cuts.push({ link, stream: oneWay ? 'downstream' : 'both' });
  }
  return cuts;
}

export async function blackhole(ctx: FaultContext, id: string, cuts: Cut[]): Promise<() => Promise<void>> {
  const heals: (() => Promise<void>)[] = [];
  const heal = once(async () => {
    for (const h of heals.reverse()) await h();
  });
  try {
    for (const [i, c] of cuts.entries()) {
      heals.push(await addToxics(ctx, c.link.proxies.map((p) => p.name), `${id}-${i}`, { type: 'timeout', toxicity: 1, attributes: { timeout: 0 } }, c.stream));
    }
  } catch (err) {
    await heal();
    throw err;
  }
  return heal;
}
