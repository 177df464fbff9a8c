// Terminal rendering for mesh commands.
import Table from 'cli-table3';
import pc from 'picocolors';
import type { MeshStatus } from '../mesh/lifecycle.ts';

const health = (h: string): string => (h === 'healthy' ? pc.green(h) : h === '-' ? h : pc.red(h));
const role = (r: string): string => (r === 'primary' ? pc.bold(pc.cyan(r)) : r === 'down' ? pc.red(r) : r);

export function renderStatus(s: MeshStatus): string {
  const nodes = new Table({ head: ['node', 'zone', 'kind', 'state', 'health', 'role'], style: { head: ['bold'], compact: true } });
  for (const n of s.nodes) nodes.push([n.node, n.zone, n.kind, n.state, health(n.health), role(n.role)]);
  // Links grouped by zone pair: a partition shows up as one row.
  const pairs = new Map<string, { links: number; faulted: string[] }>();
  for (const l of s.links) {
    const key = `${l.fromZone} -> ${l.toZone}`;
    const p = pairs.get(key) ?? { links: 0, faulted: [] };
    p.links += 1;
    if (l.disabled || l.toxics.length) p.faulted.push(`${l.id} [${[...(l.disabled ? ['disabled'] : []), ...l.toxics].join(', ')}]`);
    pairs.set(key, p);
  }
  const links = new Table({ head: ['zones', 'links', 'faulted'], style: { head: ['bold'], compact: true } });
  for (const [k, p] of [...pairs].sort()) links.push([k, String(p.links), p.faulted.length ? pc.yellow(p.faulted.join('\n')) : pc.dim('none')]);
  const head = `${pc.bold(s.project)}: ${s.up ? pc.green('up, all nodes healthy') : pc.yellow('not fully up')}${s.toxiproxy ? `, toxiproxy ${s.toxiproxy}` : ''}`;
  return [head, nodes.toString(), links.toString()].join('\n');
}
