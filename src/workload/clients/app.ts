// Client kind `app` (the default): the reference app's POST /writes through each app node's
// Toxiproxy link, plus the workload's `direct` lanes straight to the stores. Its writes land in the
// app's own tables, which the ledger reads on each store's final primary itself.
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.ts';
import type { Target } from '../../config/target.ts';
import { appWriter } from '../app-writes.ts';
import type { Send } from '../open-loop.ts';
import { storeOfKind } from '../store-of-kind.ts';
import { postgresWriter, redisWriter } from '../store-writes.ts';
import type { ClientKind } from './types.ts';

const schema = z.object({ kind: z.literal('app') }).strict();

/** Which of the target's stores a lane's writes go to: an app writes its Postgres and Redis stores, a direct lane only its own kind's. */
function storesOfLane(t: Target, lane: string): string[] {
  const kinds = lane === 'postgres' || lane === 'redis' ? [lane] : ['postgres', 'redis'];
  return kinds.map((k) => storeOfKind(t, k)).filter((s): s is string => s !== undefined);
}

const app: ClientKind<z.infer<typeof schema>, z.input<typeof schema>> = {
  kind: 'app',
  schema,
  readBack: 'stores',
  async check(_c, { target, workload: w }) {
    const problems: ErrorDetail[] = [];
    const clients = Object.keys(target.externalClient?.hostPorts ?? {});
    if (!clients.length) problems.push({ path: 'workload', message: `target ${target.projectName} declares no externalClient links for a workload`, fix: 'add externalClient.hostPorts (app node -> published Toxiproxy port) to the target, or choose another workload.client kind (http, sql, redis, user)' });
    const kinds = new Set(Object.values(target.nodes).filter((n) => Object.keys(n.hostPorts).length).map((n) => n.kind));
    w.direct.forEach((store, i) => {
      const needs = store === 'postgres' ? ['postgres'] : ['redis', 'sentinel'];
      const missing = needs.filter((k) => !kinds.has(k));
      if (missing.length) problems.push({ path: `workload.direct[${i}]`, message: `writing straight to ${store} needs ${missing.join(' and ')} nodes with published ports, and ${target.projectName} has none`, fix: 'publish their ports in the target, or drop it from workload.direct' });
    });
    (w.via ?? []).forEach((c, i) => {
      if (clients.length && !clients.includes(c)) problems.push({ path: `workload.via[${i}]`, message: `no workload link to "${c}"`, fix: `use one of: ${clients.join(', ')}` });
    });
    return { problems, readsBack: true };
  },
  async open(_c, { target: t, workload: w }) {
    const apps = appWriter(t, w.timeout);
    const direct: Record<string, { send: Send; close(): Promise<void> }> = {
      ...(w.direct.includes('postgres') ? { postgres: postgresWriter(t, w) } : {}),
      ...(w.direct.includes('redis') ? { redis: redisWriter(t, w) } : {}),
    };
    const byLane = new Map<string, string[]>();
    return {
      lanes: [...(w.via ?? Object.keys(t.externalClient?.hostPorts ?? {})), ...w.direct],
      storesOf: (lane) => byLane.get(lane) ?? byLane.set(lane, storesOfLane(t, lane)).get(lane)!,
      send: (lane, id) => (direct[lane] ?? apps).send(lane, id),
      close: async () => void (await Promise.all([apps.close(), ...Object.values(direct).map((d) => d.close())])),
    };
  },
};

export default app;
