// What an SRE writes in their own project once faultline is installed: an experiment, a tsconfig,
// a vitest test. Kept as text: the checkout's own type-check must not see the deliberately wrong
// ones (there, 'faultline' resolves to these sources, not to the package).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A short real experiment against the reference mesh: a slow app -> HAProxy link, a workload, SLOs. */
export const EXPERIMENT = `import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'app-link-latency',
  description: 'Slow the link from app-a to its HAProxy for a few seconds: every acknowledged write must land.',
  steadyState: {
    probes: [
      { name: 'app-a ready', http: { node: 'app-a', port: 'http', path: '/readyz' }, phases: ['before', 'after'] },
      { name: 'one postgres primary', role: { store: 'postgres' }, phases: ['before', 'after'] },
    ],
    recoverWithin: '30s',
  },
  workload: { rate: 10, warmup: '1s', cooldown: '1s' },
  timeline: [{ fault: { kind: 'latency', link: { from: 'app-a', to: 'haproxy-a' }, latencyMs: 50 }, for: '3s' }],
  slos: { maxLostAckedWrites: 0, noSplitBrain: true },
  maxDuration: '1m',
});
`;

/** Two mistakes the user's editor must flag: a fault kind that does not exist, a misspelt SLO. */
export const WRONG_EXPERIMENT = `import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: 'wrong',
  description: 'two mistakes',
  timeline: [
    { fault: { kind: 'kil', node: 'redis-a' } },
  ],
  slos: {
    maxFailoverTim: '10s',
  },
});
`;

/** The user's own strict settings, over the given files. */
export const tsconfig = (include: string[]): string => JSON.stringify({
  compilerOptions: { strict: true, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'] },
  include,
}, null, 2);

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
