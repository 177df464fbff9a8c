// Patroni's dynamic configuration lives in the DCS: one `PATCH /config` per Patroni store changes
// it for every member, and each member's `GET /config` answers from the cluster view it took in
// its last loop, so reading it on every member shows each one has seen it. synchronous_mode is
// also checked where it acts: the primary's pg_stat_replication (its /patroni `replication`).
import { nodeList, type Target, type TargetNode } from '../config/target.ts';
import { getJson, hostPort } from '../stores/ask-node.ts';
import { patroniCluster, type Replication } from '../stores/patroni-members.ts';
import { at, unflatten } from './settings.ts';
import type { ByNode, Surface } from './surface.ts';

/** Each Patroni store's members (every member a Postgres node with a published Patroni port). */
export function patroniStores(t: Target): TargetNode[][] {
  return Object.values(t.stores).map((s) => nodeList(t).filter((n) => s.members.includes(n.name)))
    .filter((ms) => ms.length && ms.every((n) => n.kind === 'postgres' && n.hostPorts.patroni !== undefined));
}

const url = (t: Target, n: TargetNode, path: string) => `http://${t.host}:${hostPort(n, 'patroni')}${path}`;

async function ask(t: Target, n: TargetNode, path: string): Promise<unknown> {
  try {
    return await getJson(url(t, n, path), 3000);
  } catch (e) {
    throw new Error(`${n.name}: Patroni did not answer GET ${path}: ${(e as Error).message}`, { cause: e });
  }
}

const isLeader = (role: string) => role === 'leader' || role === 'master' || role === 'primary';

export const patroniSurface: Surface = {
  name: 'patroni',
  nodes: (t) => patroniStores(t).flat(),
  async read(t, keys) {
    const out: ByNode = {};
    for (const n of patroniStores(t).flat()) {
      const config = await ask(t, n, '/config');
      out[n.name] = Object.fromEntries(keys.map((k) => [k, at(config, k)]));
    }
    return out;
  },
  async write(t, values) {
    for (const members of patroniStores(t)) {
      const first = members.find((n) => values[n.name]);
      if (!first) continue;
      const patch = JSON.stringify(unflatten(values[first.name]!));
      const errors: string[] = [];
      let done = false;
      for (const n of members) {
        try {
          const r = await fetch(url(t, n, '/config'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: patch, signal: AbortSignal.timeout(10_000) });
          if (r.ok) {
            done = true;
            break;
          }
          errors.push(`${n.name}: HTTP ${r.status} ${(await r.text()).trim().slice(0, 200)}`);
        } catch (e) {
          errors.push(`${n.name}: ${(e as Error).message}`); // that member is down: ask the next one
        }
      }
      if (!done) throw new Error(`no Patroni member took PATCH /config ${patch}: ${errors.join('; ')}`);
    }
    return [];
  },
  async inForce(t, wanted) {
    const seen: string[] = [];
    for (const members of patroniStores(t)) {
      // A parameter that needs a restart is in the config but not in force; variants never restart Postgres.
      for (const n of Object.keys(wanted).some((k) => k.startsWith('postgresql.')) ? members : []) {
        const p = (await ask(t, n, '/patroni')) as { pending_restart?: boolean };
        if (p.pending_restart) return { off: `${n.name} has pending_restart: a setting needs a Postgres restart, which a variant does not do`, seen };
      }
      if (!('synchronous_mode' in wanted)) continue;
      const leader = (await patroniCluster(t, members))?.members.find((m) => isLeader(m.role))?.name;
      const node = members.find((n) => n.name === leader);
      if (!node) return { off: `no Patroni leader to ask how its replicas stream`, seen };
      const repl = ((await ask(t, node, '/patroni')) as { replication?: Replication[] }).replication ?? [];
      const sync = repl.filter((r) => r.sync_state === 'sync' || r.sync_state === 'quorum');
      seen.push(...repl.map((r) => `${r.application_name} streams from ${node.name}: ${r.sync_state ?? 'unknown'}`));
      if (wanted.synchronous_mode === true && !sync.length) return { off: `no replica streams synchronously from ${node.name} (${repl.map((r) => `${r.application_name} ${r.sync_state}`).join(', ') || 'none streams'})`, seen };
      if (wanted.synchronous_mode === false && sync.length) return { off: `${sync.map((r) => r.application_name).join(', ')} still stream${sync.length === 1 ? 's' : ''} synchronously from ${node.name}`, seen };
    }
    return { seen };
  },
};
