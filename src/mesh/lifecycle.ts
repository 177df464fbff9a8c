// Bring a target's compose project up (healthy) or down, and report its state.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { nodeList, type Target } from '../config/target.ts';
import { Compose, type ServiceState } from '../runtime/compose.ts';
import { checkCompose, checkEngine, checkImages, checkPorts } from '../runtime/preflight.ts';
import { ToxiproxyApi, type ProxyState } from '../runtime/toxiproxy.ts';
import { allRoles } from './roles.ts';

export type Progress = (line: string) => void;

const healthy = (s: ServiceState): boolean => s.state === 'running' && (s.health === '' || s.health === 'healthy');

/** `composeOverrides`: files laid over the target's compose file (a variant's); a later `up` without them recreates what they changed. */
export async function up(t: Target, opts: { onProgress?: Progress; timeoutS?: number; composeOverrides?: string[] } = {}): Promise<void> {
  const say = opts.onProgress ?? (() => undefined);
  const compose = new Compose(t, opts.composeOverrides);
  say(`engine ${await checkEngine()}, compose ${await checkCompose(compose)}`);
  await checkImages(compose);
  const before = await compose.ps();
  if (before.length === 0) await checkPorts(t);
  const r = await compose.run(['up', '--detach', '--wait', '--wait-timeout', String(opts.timeoutS ?? 240), '--remove-orphans'], { onLine: (l) => say(l.trim()) });
  if (r.code === 0) return;
  const states = await compose.ps();
  const sick = states.filter((s) => !healthy(s));
  if (sick.length) {
    const details = await Promise.all(sick.map(async (s) => ({
      path: s.service,
      message: `${s.state}${s.health ? ` (${s.health})` : ''}${s.state === 'exited' ? `, exit code ${s.exitCode}` : ''}; last log lines:\n${(await compose.logs(s.service, 15)).replace(/^/gm, '      ')}`,
    })));
    throw new FaultlineError(ErrorCodes.NODE_UNHEALTHY, `${sick.length} node${sick.length > 1 ? 's' : ''} did not become healthy: ${sick.map((s) => s.service).join(', ')}`,
      `read the log lines above; \`docker compose -p ${t.projectName} logs <node>\` has the rest. \`faultline down\` then \`faultline up\` starts afresh`, { details });
  }
  throw new FaultlineError(ErrorCodes.COMPOSE_FAILED, `docker compose up failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`, `run \`docker compose -p ${t.projectName} up\` to see the whole output`);
}

export async function down(t: Target, opts: { keepData?: boolean; onProgress?: Progress } = {}): Promise<void> {
  const compose = new Compose(t);
  await checkEngine();
  const onLine = (l: string) => opts.onProgress?.(l.trim());
  // When the volumes go too, a graceful stop protects nothing: kill first (a Postgres primary
  // otherwise waits out its grace period for standbys that are stopping as well). With
  // --keep-data, each service's stop_grace_period applies so databases stop cleanly.
  if (!opts.keepData) await compose.run(['kill', '--remove-orphans'], { onLine });
  const r = await compose.run(['down', '--remove-orphans', ...(opts.keepData ? [] : ['--volumes'])], { onLine });
  if (r.code !== 0) throw new FaultlineError(ErrorCodes.COMPOSE_FAILED, `docker compose down failed: ${r.stderr.trim()}`, `run \`docker compose -p ${t.projectName} down\` by hand`);
}

export interface NodeStatus { node: string; zone: string; kind: string; state: string; health: string; role: string }
export interface LinkStatus { id: string; fromZone: string; toZone: string; proxies: number; disabled: number; toxics: string[] }
export interface MeshStatus { project: string; up: boolean; nodes: NodeStatus[]; links: LinkStatus[]; toxiproxy: string | null }

export async function status(t: Target): Promise<MeshStatus> {
  await checkEngine();
  const states = new Map((await new Compose(t).ps()).map((s) => [s.service, s]));
  const anyUp = [...states.values()].some((s) => s.state === 'running');
  const roles = anyUp ? await allRoles(t) : new Map<string, string>();
  const nodes = nodeList(t).map((n) => {
    const s = states.get(n.service);
    return { node: n.name, zone: n.zone, kind: n.kind, state: s?.state ?? 'absent', health: s?.health || '-', role: s?.state === 'running' ? roles.get(n.name) ?? '-' : '-' };
  });
  let proxies: ProxyState[] = [];
  let toxiproxy: string | null = null;
  if (states.get(t.toxiproxy.service)?.state === 'running') {
    const api = new ToxiproxyApi(t.toxiproxyUrl);
    toxiproxy = await api.version().catch(() => null);
    proxies = toxiproxy ? await api.list() : [];
  }
  const byName = new Map(proxies.map((p) => [p.name, p]));
  const links = t.links.map((l) => {
    const ps = l.proxies.map((p) => byName.get(p.name));
    return {
      id: l.id, fromZone: l.fromZone, toZone: l.toZone, proxies: l.proxies.length,
      disabled: ps.filter((p) => p && !p.enabled).length,
      toxics: ps.flatMap((p) => p?.toxics.map((x) => `${x.type}/${x.stream}`) ?? []),
    };
  });
  const up = nodes.every((n) => n.state === 'running' && (n.health === 'healthy' || n.health === '-'));
  return { project: t.projectName, up, nodes, links, toxiproxy };
}
