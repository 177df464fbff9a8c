// Terminal rendering for mesh commands (status, and the variants of up and `variant`).
import Table from 'cli-table3';
import pc from 'picocolors';
import type { MeshStatus } from '../mesh/lifecycle.ts';
import { describeReadings, variantLabel } from '../report/format.ts';
import { flatSettings } from '../variants/settings.ts';
import type { VariantKind } from '../variants/types.ts';
import type { UpVariants } from '../variants/up.ts';
import type { VariantState } from '../variants/show.ts';

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

export function renderUpVariants(u: UpVariants): string {
  const lines = [pc.bold('variants in force (read back on every node):')];
  for (const c of u.compose) lines.push(`  compose override ${c.file}`, ...describeReadings({ compose: c.values }).map((l) => `    ${l}`), ...c.notes.map((n) => pc.dim(`    ${n}`)));
  if (u.applied) {
    lines.push(...u.applied.variants.map((v) => `  ${variantLabel(v)}`));
    lines.push(...describeReadings(u.applied.values).map((l) => `    ${l}`), ...u.applied.checks.map((c) => pc.dim(`    checked: ${c}`)));
  }
  return lines.join('\n');
}

export function renderVariantList(kinds: VariantKind[]): string {
  const t = new Table({ head: ['variant', 'what it changes', 'params (--param key=value)'], style: { head: ['bold'], compact: true }, colWidths: [26, 64, 56], wordWrap: true });
  for (const k of kinds) {
    const params = k.params.map((p) => `${p.key}: ${p.default} ${p.unit} (${p.min}..${p.max})`).join('\n') || pc.dim('none');
    const sets = Object.entries(flatSettings(k.settings(Object.fromEntries(k.params.map((p) => [p.name, p.default])))))
      .map(([system, kv]) => `${system}: ${Object.entries(kv ?? {}).map(([key, v]) => `${key}=${JSON.stringify(v)}`).join(', ')}`);
    t.push([k.name, `${k.description}\n${pc.dim(sets.join('\n'))}`, params]);
  }
  return `${t.toString()}\n${pc.dim('also: a variant of your own, { name, patroni?, sentinel?, redis?, compose? } (README "Variants"); compose overrides only at `faultline up --variant <file>.json`')}`;
}

export function renderVariantStates(states: VariantState[]): string {
  const t = new Table({ head: ['variant', 'state', 'params now', 'read back'], style: { head: ['bold'], compact: true }, wordWrap: true, colWidths: [26, 16, 36, 70] });
  for (const s of states) {
    const params = Object.entries(s.params).map(([k, v]) => `${k}=${v === null ? pc.yellow('differs') : String(v)}`).join('\n');
    t.push([s.name, s.state === 'in force' ? pc.green(s.state) : pc.dim(s.state), params || '-', describeReadings(s.values).join('\n') || '-']);
  }
  return t.toString();
}
