// Redis parameters on every Redis node (store members and witnesses alike): `CONFIG SET`, then
// `CONFIG REWRITE`, so that a node killed and restarted during the run comes back with the
// variant rather than its old config file; read back with `CONFIG GET`.
import { nodeList, type Target, type TargetNode } from '../config/target.ts';
import { hostPort, redisCommand } from '../stores/ask-node.ts';
import type { ByNode, Surface } from './surface.ts';

const redisNodes = (t: Target): TargetNode[] => nodeList(t).filter((n) => n.kind === 'redis' && n.hostPorts.redis !== undefined);

async function call(t: Target, n: TargetNode, args: [string, ...string[]]): Promise<unknown> {
  try {
    return await redisCommand(t.host, hostPort(n, 'redis'), args);
  } catch (e) {
    throw new Error(`${n.name}: ${args.slice(0, 2).join(' ')} failed: ${(e as Error).message}`, { cause: e });
  }
}

export const redisSurface: Surface = {
  name: 'redis',
  nodes: redisNodes,
  async read(t, keys) {
    const out: ByNode = {};
    for (const n of redisNodes(t)) {
      out[n.name] = {};
      for (const k of keys) {
        const r = (await call(t, n, ['CONFIG', 'GET', k])) as string[];
        if (r.length < 2) throw new Error(`${n.name}: Redis has no parameter "${k}" (CONFIG GET ${k} answered nothing)`);
        out[n.name]![k] = r[1];
      }
    }
    return out;
  },
  async write(t, values) {
    const notes: string[] = [];
    for (const n of redisNodes(t)) {
      const kv = Object.entries(values[n.name] ?? {});
      if (!kv.length) continue;
      await call(t, n, ['CONFIG', 'SET', ...kv.flatMap(([k, v]) => [k, String(v)])] as [string, ...string[]]);
      await call(t, n, ['CONFIG', 'REWRITE']).catch((e: Error) => notes.push(`${e.message}: in force, but a restart of ${n.name} would bring back its config file's values`));
    }
    return notes;
  },
  async inForce(t, wanted) {
    if (!('min-replicas-to-write' in wanted)) return { seen: [] };
    // What fencing does now: how many replicas each master counts as good (it refuses writes below min-replicas-to-write).
    const seen: string[] = [];
    for (const n of redisNodes(t)) {
      const info = String(await call(t, n, ['INFO', 'replication']));
      if (!/^role:master/m.test(info)) continue;
      const good = /^min_slaves_good_slaves:(\d+)/m.exec(info)?.[1];
      const connected = /^connected_slaves:(\d+)/m.exec(info)?.[1] ?? '0';
      seen.push(wanted['min-replicas-to-write'] === '0' ? `${n.name} (master) is not fenced: it takes writes with ${connected} replica(s) connected, or none`
        : `${n.name} (master) counts ${good ?? '0'} good replica(s) of ${connected} connected, needs ${String(wanted['min-replicas-to-write'])} to take writes`);
    }
    return { seen };
  },
};
