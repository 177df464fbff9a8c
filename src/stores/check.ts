// Each store of a target checked by its kind: a known kind, the kind's own fields, and its rules
// (the ports it asks, the nodes it names). Every problem at once, each naming its field and fix.
import type { ErrorDetail } from '../core/errors.ts';
import type { TargetFile } from '../config/target.ts';
import { kindNameOf, storeKindNames, storeKinds } from './registry.ts';

export function checkStores(t: TargetFile): ErrorDetail[] {
  return Object.entries(t.stores).flatMap(([name, store]): ErrorDetail[] => {
    const kindName = kindNameOf(t, store);
    const kind = storeKinds.get(kindName);
    if (!kind) return [{ path: `stores.${name}.kind`, message: `unknown store kind ${JSON.stringify(kindName)}`, fix: `use one of: ${storeKindNames().join(', ')} (see "Store kinds" in the README)` }];
    const r = kind.schema.safeParse(store);
    if (!r.success) {
      return r.error.issues.map((i) => ({
        path: ['stores', name, ...i.path.map(String)].join('.'),
        message: `${i.message}${store.kind === undefined ? ` (store ${name} is taken as kind "${kindName}" from its members; declare its kind if it is another)` : ''}`,
        fix: `see the "${kindName}" store kind in the README`,
      }));
    }
    return kind.check?.(t, name, store, r.data) ?? [];
  });
}
