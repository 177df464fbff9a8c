// A sweep's axes and points. `--param key=v1,v2,...` names a variant setting by its registry key
// and the values to run it at; every key and value is checked against the registry before
// anything runs. The points are the cartesian product of the axes in the order given: the first
// key varies slowest, each key's values in the order listed.
import type { ErrorDetail } from '../core/errors.ts';
import { paramsByKey } from './registry.ts';

export interface SweepAxis { key: string; values: number[] }
/** One run's settings: key -> value, keys in the order of the axes. */
export type SweepPoint = Record<string, number>;

const keyList = () => `use one of: ${[...paramsByKey.keys()].join(', ')} (\`faultline variant list\`)`;

/** The axes of `--param` flags, or every problem, each naming its flag. */
export function parseSweepParams(flags: string[]): { value: SweepAxis[]; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const axes: SweepAxis[] = [];
  if (!flags.length) problems.push({ path: '--param', message: 'a sweep needs at least one --param key=v1,v2,...', fix: `e.g. --param sentinel.down-after-milliseconds=1000,3000; ${keyList()}` });
  const flagOf = new Map<string, string>();
  for (const flag of flags) {
    const at = `--param ${flag}`;
    const m = /^([^=]+)=(.*)$/.exec(flag);
    if (!m) {
      problems.push({ path: at, message: 'not key=v1,v2,...', fix: `e.g. --param sentinel.down-after-milliseconds=1000,3000; ${keyList()}` });
      continue;
    }
    const key = m[1]!.trim();
    const entry = paramsByKey.get(key);
    if (!entry) {
      problems.push({ path: at, message: `unknown param "${key}"`, fix: keyList() });
      continue;
    }
    const { param: spec } = entry;
    const range = `a whole number from ${spec.min} to ${spec.max} (${spec.unit}; the reference mesh's is ${spec.default})`;
    if (flagOf.has(key)) {
      problems.push({ path: at, message: `${key} is swept twice (also by --param ${flagOf.get(key)})`, fix: `give all its values in one flag: --param ${key}=v1,v2,...` });
      continue;
    }
    flagOf.set(key, flag);
    const texts = m[2]!.split(',').map((s) => s.trim());
    if (texts.every((t) => t === '')) {
      problems.push({ path: at, message: `no values for ${key}`, fix: `list them: --param ${key}=v1,v2,... with each ${range}` });
      continue;
    }
    const values: number[] = [];
    const before = problems.length;
    for (const t of texts) {
      const v = Number(t);
      if (t === '') problems.push({ path: at, message: 'an empty value (a stray comma?)', fix: `separate the values of ${key} by single commas, each ${range}` });
      else if (!Number.isInteger(v)) problems.push({ path: at, message: `${JSON.stringify(t)} is not a whole number`, fix: `each value of ${key} is ${range}` });
      else if (v < spec.min || v > spec.max) problems.push({ path: at, message: `${v} is out of range for ${key}`, fix: `each value is ${range}` });
      else if (values.includes(v)) problems.push({ path: at, message: `${v} is listed twice`, fix: 'list each value once (run the sweep again to repeat it)' });
      else values.push(v);
    }
    if (problems.length === before) axes.push({ key, values });
  }
  return { value: axes, problems };
}

/** The cartesian product of the axes, first axis slowest; one empty point for no axes. */
export function sweepPoints(axes: SweepAxis[]): SweepPoint[] {
  return axes.reduce<SweepPoint[]>((points, a) => points.flatMap((p) => a.values.map((v) => ({ ...p, [a.key]: v }))), [{}]);
}

/** `key=value key=value`, as tables and labels show a point. */
export const pointLabel = (p: SweepPoint): string => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
