// The one-way layers of src/ (README, "Architecture"), lowest first. A folder may import its own
// files and the folders of lower layers: never a folder of its own layer, never one above. A new
// folder under src/ must be placed here before anything in it passes the lint (no-unknown-files).
// src/index.ts, the public entry, sits above them all and nothing in src/ imports it;
// experiments/ import only that entry (as 'faultline'). Type-only imports count like the rest,
// and so do `export ... from` and dynamic `import()`.
export const LAYERS = [
  ['core'],
  ['config', 'history'],
  ['runtime', 'observe', 'checks', 'report'],
  ['stores'],
  ['mesh'],
  ['faults', 'workload', 'variants', 'wrap'],
  ['runner'],
  ['cli', 'testing'],
];

const ENTRY = 'entry';
const EXPERIMENTS = 'experiments';
const FIX = 'move what both sides need down to a layer both may import, or, if the import is right, change the layers (README "Architecture", test/layers.js)';

/** ESLint settings and rules (eslint-plugin-boundaries) holding src/ and experiments/ to LAYERS. */
export function layerRules() {
  const folders = LAYERS.flat();
  const policies = [];
  LAYERS.forEach((layer, i) => {
    const below = LAYERS.slice(0, i).flat();
    for (const f of layer) {
      const from = { element: { type: f } };
      if (below.length) policies.push({ from, allow: { to: { element: { types: { anyOf: below } } } } });
      policies.push({
        from,
        disallow: { to: { element: { types: { anyOf: folders.filter((x) => x !== f && !below.includes(x)) } } } },
        message: `src/${f}/ is in layer ${i + 1} and may import ${below.length ? `only ${below.map((b) => `src/${b}/`).join(', ')}` : 'nothing outside its own folder'}; '{{dependency.source}}' is in src/{{to.element.type}}/, which is not below it: ${FIX}`,
      });
    }
  });
  policies.push(
    { from: { element: { types: { anyOf: folders } } }, disallow: { to: { file: { categories: ENTRY } } }, message: `nothing in src/ imports the public entry src/index.ts (it imports every layer): import the module itself` },
    { from: { file: { categories: ENTRY } }, allow: { to: { element: { types: { anyOf: folders } } } } },
    { from: { element: { type: EXPERIMENTS } }, allow: { to: { file: { categories: ENTRY } } } },
    { from: { element: { type: EXPERIMENTS } }, disallow: { to: { element: { types: { anyOf: folders } } } }, message: `experiments import only the public entry: import { ... } from 'faultline', not '{{dependency.source}}'` },
  );
  return {
    settings: {
      'boundaries/elements': [
        ...folders.map((f) => ({ type: f, pattern: `src/${f}` })),
        { type: EXPERIMENTS, pattern: 'experiments' },
      ],
      'boundaries/files': [{ category: ENTRY, pattern: 'src/index.ts' }],
      'boundaries/include': ['src/**', 'experiments/**'],
      'boundaries/dependency-nodes': ['import', 'dynamic-import', 'export'],
      'boundaries/legacy-templates': false,
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'disallow',
        // An import of a local file that is in no layer (a new folder, services/) is refused too.
        checkUnknownLocals: true,
        policies,
        message: `'{{dependency.source}}' is outside the one-way layers (test/layers.js): place its folder in a layer first`,
      }],
      'boundaries/no-unknown-files': 'error',
    },
  };
}
