// The one interpreter of fault data: validate a spec against its kind's schema (every problem,
// with its path), then inject it. Nothing is touched until a spec is valid.
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';
import type { CheckedFault } from '../config/timeline.ts';
import { registry, faultKindNames } from './registry.ts';
import type { ActiveFault, FaultContext } from './types.ts';

export type { CheckedFault } from '../config/timeline.ts';

export function checkFault(raw: unknown, path = 'fault'): { value?: CheckedFault; problems: ErrorDetail[] } {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const impl = typeof kind === 'string' ? registry.get(kind) : undefined;
  if (!impl) {
    return { problems: [{ path: `${path}.kind`, message: kind === undefined ? 'missing' : `unknown fault kind ${JSON.stringify(kind)}`, fix: `use one of: ${faultKindNames().join(', ')}` }] };
  }
  const r = impl.schema.safeParse(raw);
  if (r.success) return { value: r.data as CheckedFault, problems: [] };
  return { problems: r.error.issues.map((i) => ({ path: [path, ...i.path].join('.'), message: i.message, fix: `see the "${kind}" fault in the README` })) };
}

export async function injectFault(raw: unknown, ctx: FaultContext, id: string): Promise<ActiveFault> {
  const { value, problems } = checkFault(raw);
  if (!value) throw new FaultlineError(ErrorCodes.BAD_INPUT, `fault ${id} is not valid`, 'correct each field listed above', { details: problems });
  return registry.get(value.kind)!.inject(value, ctx, id);
}
