// The manifest agrees with what the package needs: its Node floor is the highest floor among the
// dependencies it installs, and the command's own check (src/cli/bin.js) uses that same floor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/core/errors.ts';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }> };

type V = [number, number, number];
const parse = (s: string): V => {
  const [a = 0, b = 0, c = 0] = s.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : 0));
  return [a, b, c];
};
const cmp = (a: V, b: V): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const show = (v: V): string => v.join('.');

/** The lowest Node a range admits (enough for the forms engines fields use: >=, ^, x.*, a || b). */
function floorOf(range: string): V {
  const alternatives = range.split('||').map((alt) => [...alt.matchAll(/(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/g)].map((m) => parse(m[0])));
  return alternatives.map((vs) => vs.sort(cmp)[0] ?? ([0, 0, 0] as V)).sort(cmp)[0]!;
}

describe('package.json engines', () => {
  it('reads floors the way engines fields write them', () => {
    expect(show(floorOf('>= 22.22'))).toBe('22.22.0');
    expect(show(floorOf('>=22.19.0'))).toBe('22.19.0');
    expect(show(floorOf('^12.22.0 || ^14.17.0 || >=16.0.0'))).toBe('12.22.0');
    expect(show(floorOf('10.* || >= 12.*'))).toBe('10.0.0');
  });

  it('is the highest floor of every dependency the package installs', () => {
    const floors = Object.entries(lock.packages)
      .filter(([path, p]) => path && !p.dev && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .map(([path, p]) => ({ path, floor: floorOf((p.engines as { node: string }).node) }))
      .sort((a, b) => cmp(b.floor, a.floor));
    const highest = floors[0]!;
    expect(show(floorOf(pkg.engines.node)), `the highest is ${highest.path} (${show(highest.floor)})`).toBe(show(highest.floor));
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+\.\d+$/);
  });

  it('is the floor the `faultline` command checks before loading anything, with the documented code', () => {
    const bin = readFileSync(join(root, 'src/cli/bin.js'), 'utf8');
    expect(bin.match(/const MIN_NODE = '([\d.]+)'/)?.[1]).toBe(pkg.engines.node.replace(/^>=/, ''));
    expect(bin).toContain(`error ${ErrorCodes.NODE_TOO_OLD}:`);
    // Only Node's own modules before the check: nothing that could need a newer Node.
    expect([...bin.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['node:fs', 'node:process']);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(ErrorCodes.NODE_TOO_OLD);
  });
});
