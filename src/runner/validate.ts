// Everything checked before anything is touched, all problems at once: the target exists and is
// consistent; every fault resolves against it (links, ports, nodes, zones, groups) by a dry
// injection; probes name real nodes and ports; no two faults contradict each other on one link or
// node; the workload's client can reach the target and read back what the SLOs need; the timeline
// fits maxDuration; every endpoint is loopback unless allowed.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { ErrorCodes, isFaultlineError, type ErrorDetail } from '../core/errors.ts';
import { formatMs } from '../core/duration.ts';
import { referenceTargetPath, type Target } from '../config/target.ts';
import { loadTarget } from '../stores/target.ts';
import type { Experiment } from '../config/experiment.ts';
import type { Probe } from '../config/probe.ts';
import type { NodeSelectorSpec } from '../config/node-selector.ts';
import { injectFault } from '../faults/interpreter.ts';
import { clash, recordingContext, type Footprint } from './recorder.ts';
import { planTimeline, type Plan, type PlanStep, type PlannedFault } from './plan.ts';
import { dockerEndpointHost, isLoopback } from '../runtime/endpoints.ts';
import { capabilityProblems } from './store-capabilities.ts';
import { KERNEL_WAY_OUT, refusal } from './refusal.ts';
import { resolveVariant } from '../variants/check.ts';
import { missingSurfaces } from '../variants/apply.ts';
import { checkWorkloadClient } from '../workload/clients/validate.ts';

export interface Validated { experiment: Experiment; target: Target; targetPath: string; plan: Plan; footprints: Map<string, Footprint> }
export interface ValidateOptions { seed: number; defaultTarget?: string; env?: NodeJS.ProcessEnv }

/** "reference", or a target JSON path relative to the experiment file; the valid choices when unknown. */
function targetPath(exp: Experiment, opts: ValidateOptions): { path?: string; problem?: ErrorDetail } {
  const name = exp.target ?? opts.defaultTarget ?? 'reference';
  if (name === 'reference') return { path: referenceTargetPath() };
  const base = exp.file && exp.target ? dirname(exp.file) : process.cwd();
  const path = resolve(base, name);
  if (existsSync(path)) return { path };
  const near = existsSync(base) ? readdirSync(base).filter((f) => f.endsWith('.json')).map((f) => relative(process.cwd(), resolve(base, f))) : [];
  return { problem: { path: 'target', message: `unknown target "${name}" (looked for ${path})`, fix: `use "reference" (the mesh this project ships) or the path of a target JSON file${near.length ? `; JSON files next to it: ${near.join(', ')}` : ''}` } };
}

function checkProbeRefs(p: Probe, path: string, t: Target, allowRemote: boolean): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const nodeHasPort = (sel: NodeSelectorSpec, port: string, at: string) => {
    const store = typeof sel === 'string' ? undefined : 'primaryOf' in sel ? sel.primaryOf : sel.replicaOf;
    if (store !== undefined && !t.stores[store]) return problems.push({ path: `${at}.node`, message: `no store "${store}" in ${t.projectName}`, fix: `use one of: ${Object.keys(t.stores).join(', ') || '(none declared)'}` });
    const names = typeof sel === 'string' ? [sel] : t.stores[store!]!.members;
    for (const n of names) {
      const node = t.nodes[n];
      if (!node) problems.push({ path: `${at}.node`, message: `"${n}" is not a node of ${t.projectName}`, fix: `use one of: ${Object.keys(t.nodes).join(', ')}` });
      else if (node.hostPorts[port] === undefined) problems.push({ path: `${at}.port`, message: `${n} publishes no "${port}" port`, fix: `use one of: ${Object.keys(node.hostPorts).join(', ') || '(none: publish one in the target)'}` });
    }
    return 0;
  };
  if ('http' in p) {
    if ('url' in p.http) {
      const host = new URL(p.http.url).hostname;
      if (!allowRemote && !isLoopback(host)) problems.push({ path: `${path}.http.url`, message: `${host} is not a loopback address`, fix: 'probe through a published port on 127.0.0.1, or set safety.allowRemoteEndpoints: true' });
    } else nodeHasPort(p.http.node, p.http.port, `${path}.http`);
  } else if ('sql' in p) nodeHasPort(p.sql.node, p.sql.port, `${path}.sql`);
  else if ('redis' in p) nodeHasPort(p.redis.node, p.redis.port, `${path}.redis`);
  else if (!t.stores[p.role.store]) problems.push({ path: `${path}.role.store`, message: `no store "${p.role.store}" in ${t.projectName}`, fix: `use one of: ${Object.keys(t.stores).join(', ') || '(none declared)'}` });
  return problems;
}

const overlaps = (a: PlannedFault, b: PlannedFault): boolean => a.start[0] < b.end[1] && b.start[0] < a.end[1];

function probesIn(steps: PlanStep[]): { probe: Probe; path: string }[] {
  return steps.flatMap((s) => (s.type === 'waitUntil' ? [{ probe: s.probe, path: `${s.path}.waitUntil` }] : 'steps' in s ? probesIn(s.steps) : []));
}

export async function validateExperiment(exp: Experiment, opts: ValidateOptions): Promise<{ value?: Validated; problems: ErrorDetail[] }> {
  const env = opts.env ?? process.env;
  const where = targetPath(exp, opts);
  if (!where.path) return { problems: [where.problem!] };
  let target: Target;
  try {
    target = loadTarget(where.path, env);
  } catch (e) {
    if (!isFaultlineError(e)) throw e;
    return { problems: [{ path: 'target', message: e.message, fix: e.fix }, ...e.details.map((d) => ({ ...d, path: `target: ${d.path ?? ''}` }))] };
  }
  const problems: ErrorDetail[] = [];
  const allowRemote = exp.safety.allowRemoteEndpoints;
  const plan = planTimeline(exp.timeline, opts.seed);

  const footprints = new Map<string, Footprint>();
  for (const f of plan.faults) {
    const footprint: Footprint = new Set();
    const ctx = recordingContext(target, 'dry', (k) => footprint.add(k));
    try {
      await (await injectFault(f.fault, ctx, f.id)).heal();
      footprints.set(f.id, footprint);
    } catch (e) {
      if (!isFaultlineError(e)) throw e;
      // This host, not the spec: kept apart so that the run refuses with the machine's code.
      if (e.code === ErrorCodes.KERNEL_FAULT_UNAVAILABLE) problems.push({ path: `${f.path}.fault`, message: `${f.fault.kind} cannot run on this host: ${e.message}`, fix: KERNEL_WAY_OUT, code: e.code });
      else problems.push({ path: `${f.path}.fault`, message: e.message, fix: e.fix });
    }
  }
  for (const [i, a] of plan.faults.entries()) {
    for (const b of plan.faults.slice(i + 1)) {
      const both = footprints.get(a.id) && footprints.get(b.id) && overlaps(a, b) ? clash(footprints.get(a.id)!, footprints.get(b.id)!) : undefined;
      if (both) problems.push({ path: b.path, message: `contradicts ${a.path}: both hold ${both} at the same time`, fix: 'run them one after the other (a sequence, or `for` on the first), or merge them into one fault' });
    }
  }

  for (const [store, node] of Object.entries(exp.given.primaries)) {
    const s = target.stores[store];
    const at = `given.primaries.${store}`;
    if (!s) problems.push({ path: at, message: `no store "${store}" in ${target.projectName}`, fix: `use one of: ${Object.keys(target.stores).join(', ') || '(none declared)'}` });
    else if (!s.members.includes(node)) problems.push({ path: at, message: `"${node}" is not a member of store ${store}`, fix: `use one of: ${s.members.join(', ')}` });
  }
  exp.variants.forEach((u, i) => {
    const at = exp.variants.length > 1 ? `variant[${i}]` : 'variant';
    const r = resolveVariant(u);
    if (r.compose) problems.push({ path: `${at}.compose`, message: `variant "${u.name}" has a compose override, which applies only when the mesh starts, never to a running one`, fix: `start the mesh with it (\`faultline up --variant <file>.json\`) and leave compose out of the experiment's variant` });
    for (const m of missingSurfaces(target, [r])) problems.push({ path: at, message: `variant "${u.name}" changes ${m.surface}, and ${target.projectName} has no ${m.surface} nodes with published ports`, fix: `drop it, or publish the ${m.surface} nodes' ports in the target` });
  });
  exp.steadyState.probes.forEach((p, i) => problems.push(...checkProbeRefs(p, `steadyState.probes[${i}]`, target, allowRemote)));
  for (const { probe, path } of probesIn(plan.steps)) problems.push(...checkProbeRefs(probe, path, target, allowRemote));
  problems.push(...capabilityProblems(exp, target, plan.faults, [...exp.steadyState.probes.map((probe, i) => ({ probe, path: `steadyState.probes[${i}]` })), ...probesIn(plan.steps)]));

  problems.push(...await checkWorkloadClient(exp, target));
  for (const key of ['maxFailoverTime', 'maxFailovers'] as const) {
    const v = exp.slos[key];
    if (v !== undefined && typeof v === 'object') {
      for (const store of Object.keys(v)) {
        if (!target.stores[store]) problems.push({ path: `slos.${key}.${store}`, message: `no store "${store}" in ${target.projectName}`, fix: `use one of: ${Object.keys(target.stores).join(', ') || '(none declared)'}` });
      }
    }
  }
  const slosNeedingWrites = (['maxUnavailableTime', 'maxLostAckedWrites', 'maxErrorRate', 'maxErrorRateAfter', 'maxP99DuringFault'] as const).filter((k) => exp.slos[k] !== undefined);
  if (slosNeedingWrites.length && !exp.workload) {
    problems.push({ path: `slos.${slosNeedingWrites[0]}`, message: `${slosNeedingWrites.join(', ')} judge writes, and this experiment has no workload`, fix: 'add workload: { rate: 20 } (or drop these SLOs)' });
  }
  if (exp.maxDurationMs !== undefined && plan.duration[1] > exp.maxDurationMs) {
    problems.push({ path: 'maxDuration', message: `the timeline can take up to ${formatMs(plan.duration[1])}, more than maxDuration ${formatMs(exp.maxDurationMs)}`, fix: 'shorten the timeline or raise maxDuration' });
  }
  if (!allowRemote) {
    const docker = dockerEndpointHost(env);
    if (docker && !isLoopback(docker)) problems.push({ path: 'DOCKER_HOST', message: `the Docker engine at ${docker} is not on this machine`, fix: 'point DOCKER_HOST at a local engine, or set safety.allowRemoteEndpoints: true' });
    if (!isLoopback(target.host)) problems.push({ path: 'FAULTLINE_BIND', message: `the target's ports (Toxiproxy, probes) are on ${target.host}, not loopback`, fix: 'bind them to 127.x.x.x, or set safety.allowRemoteEndpoints: true' });
  }
  return problems.length ? { problems } : { value: { experiment: exp, target, targetPath: where.path, plan, footprints }, problems };
}

/** Validate or throw one coded error listing every problem. */
export async function validateOrThrow(exp: Experiment, opts: ValidateOptions): Promise<Validated> {
  const { value, problems } = await validateExperiment(exp, opts);
  if (value) return value;
  throw refusal(problems, `experiment "${exp.name}" is not valid`, `experiment "${exp.name}": `);
}
