// `faultline reset`: undo whatever faults a run left behind, whoever injected them. Toxiproxy's
// /reset drops every toxic and re-enables every proxy; every node that is paused or not running
// is started again.
import type { Target } from '../config/target.ts';
import { Nodes } from '../runtime/docker.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';

export interface ResetReport { toxicsRemoved: number; proxiesEnabled: number; nodesStarted: string[] }

export async function resetTarget(t: Target): Promise<ResetReport> {
  const api = new ToxiproxyApi(t.toxiproxyUrl);
  const before = await api.list();
  await api.reset();
  const nodes = new Nodes(t);
  const started: string[] = [];
  for (const name of Object.keys(t.nodes)) {
    const s = await nodes.state(name).catch(() => undefined);
    if (s && (s.paused || !s.running)) {
      await nodes.start(name);
      started.push(name);
    }
  }
  return {
    toxicsRemoved: before.reduce((n, p) => n + p.toxics.length, 0),
    proxiesEnabled: before.filter((p) => !p.enabled).length,
    nodesStarted: started,
  };
}
