// A variant's compose override: laid over the target's compose file when the mesh starts (`up`
// only: a running mesh cannot take one without recreating its containers, which an experiment
// must not do behind its own back). What it sets in each service's environment is read back from
// the running containers; its other keys are in force by `docker compose up` itself, not read back.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import { Nodes } from '../runtime/docker.ts';

type Service = { environment?: Record<string, unknown> | string[] };

/** Each service the override names -> the environment it sets. */
export function overrideEnvironment(file: string): Record<string, Record<string, string>> {
  let doc: { services?: Record<string, Service> };
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as typeof doc;
  } catch (e) {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `cannot read the compose override ${file}: ${(e as Error).message}`, 'pass a compose file with `services:` to lay over the mesh');
  }
  return Object.fromEntries(Object.entries(doc.services ?? {}).map(([svc, s]) => {
    const env = Array.isArray(s?.environment) ? Object.fromEntries(s.environment.map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]))
      : Object.fromEntries(Object.entries(s?.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));
    return [svc, env];
  }));
}

/** service -> `environment.KEY` -> value as the container runs; what differs from the override; what was not read back. */
export async function readComposeOverride(t: Target, file: string): Promise<{ values: Record<string, Record<string, unknown>>; off: string[]; notes: string[] }> {
  const nodes = new Nodes(t);
  const values: Record<string, Record<string, unknown>> = {};
  const off: string[] = [];
  const notes: string[] = [];
  for (const [svc, env] of Object.entries(overrideEnvironment(file))) {
    const node = Object.entries(t.nodes).find(([, n]) => n.service === svc)?.[0] ?? (svc === t.toxiproxy.service ? svc : undefined);
    if (!node) {
      notes.push(`${svc}: not a node of ${t.projectName}; its environment is not read back`);
      continue;
    }
    const running = new Map((await nodes.environment(node)).map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]));
    values[svc] = Object.fromEntries(Object.keys(env).map((k) => [`environment.${k}`, running.get(k) ?? null]));
    for (const [k, v] of Object.entries(env)) if (running.get(k) !== v) off.push(`${svc}: ${k} is ${JSON.stringify(running.get(k) ?? null)}, not ${JSON.stringify(v)}`);
  }
  return { values, off, notes };
}
