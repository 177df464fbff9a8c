// Sentinel options are per monitored master and per Sentinel: `SENTINEL SET` on every Sentinel
// (each saves its own config file), read back from each one's `SENTINEL MASTER` fields.
import { nodeList, type Target, type TargetNode } from '../config/target.ts';
import { hostPort, redisCommand } from '../stores/ask-node.ts';
import type { ByNode, Surface } from './surface.ts';

const sentinels = (t: Target): TargetNode[] => nodeList(t).filter((n) => n.kind === 'sentinel' && n.hostPorts.sentinel !== undefined);
/** The master name the Sentinels monitor (the first store that declares one). */
export const masterNameOf = (t: Target): string | undefined =>
  Object.values(t.stores).map((s) => s.masterName).find((m): m is string => typeof m === 'string');

async function call(t: Target, n: TargetNode, args: [string, ...string[]]): Promise<unknown> {
  try {
    return await redisCommand(t.host, hostPort(n, 'sentinel'), args);
  } catch (e) {
    throw new Error(`${n.name}: ${args.slice(0, 2).join(' ')} failed: ${(e as Error).message}`, { cause: e });
  }
}

export const sentinelSurface: Surface = {
  name: 'sentinel',
  nodes: (t) => (masterNameOf(t) ? sentinels(t) : []),
  async read(t, keys) {
    const master = masterNameOf(t)!;
    const out: ByNode = {};
    for (const n of sentinels(t)) {
      const flat = (await call(t, n, ['SENTINEL', 'MASTER', master])) as string[];
      const fields = new Map<string, string>();
      for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
      out[n.name] = Object.fromEntries(keys.map((k) => [k, fields.get(k) ?? null]));
    }
    return out;
  },
  async write(t, values) {
    const master = masterNameOf(t)!;
    for (const n of sentinels(t)) {
      for (const [k, v] of Object.entries(values[n.name] ?? {})) await call(t, n, ['SENTINEL', 'SET', master, k, String(v)]);
    }
    return [];
  },
};
