// What `faultline wrap` found and wrote (or, with --check, would write): every node with where its
// kind came from, every link with its proxy and the evidence for it, the stores, the files.
import { relative } from 'node:path';
import Table from 'cli-table3';
import pc from 'picocolors';
import type { WrapResult } from '../wrap/wrap.ts';

const table = (head: string[]) => new Table({ head, style: { head: ['bold'], compact: true } });

/** `files: false`: the findings only (init lists the files it writes itself). */
export function renderWrap(r: WrapResult, opts: { files?: boolean } = {}): string {
  const { model, plan } = r;
  const nodes = table(['service', 'zone', 'kind', 'because', 'ports (host port for the harness)']);
  for (const n of model.nodes) {
    const hp = plan.hostPorts.get(n.name);
    nodes.push([n.name, n.zone, n.kind, pc.dim(n.kindFrom), [...n.ports].map(([p, name]) => `${name} ${p} (${hp?.get(p)})`).join(', ') || pc.dim('none: a client only')]);
  }
  const links = table(['link', 'proxy', 'found in']);
  for (const p of plan.proxies) links.push([`${p.link.from} -> ${p.link.to}:${p.link.port}`, p.name, pc.dim(p.link.sources.join('; '))]);
  for (const c of plan.clientProxies) links.push([`${plan.clientName} (the host) -> ${c.node}:${c.port}`, `${c.name} on host port ${c.hostPort}`, pc.dim('published by the compose file')]);
  const unwired = model.unwired.map((u) => `  not wired: ${u.from} -> ${u.to} (${u.source}; no port known: add \`services.${u.from}.connects: ["${u.to}:<port>"]\` if it connects)`);
  const stores = table(['store', 'kind', 'members']);
  for (const s of model.stores) stores.push([s.name, s.kind, s.members.join(', ')]);
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const files = r.files.map((f) => `  ${r.written ? 'wrote' : 'would write'} ${rel(f.path)}  ${pc.dim(f.what)}`);
  const target = rel(r.files.find((f) => f.path.endsWith('target.json'))!.path);
  return [
    `${pc.bold(model.project)}: ${model.nodes.length} services, ${plan.proxies.length + plan.clientProxies.length} links, each through its own proxy; Toxiproxy's API on host port ${plan.toxiproxy.apiHostPort}`,
    nodes.toString(), links.toString(), ...unwired, stores.toString(),
    ...(opts.files === false ? [] : [...files, '',
    r.written ? `next:\n  npx faultline up --target ${target}       # the project, wired (docker compose with the override)\n  npx faultline status --target ${target}` : pc.dim('--check: nothing was written')]),
  ].join('\n');
}
