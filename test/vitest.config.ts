// Four projects: unit tests (no Docker), browser tests (reports opened in Debian's chromium, no
// Docker), and mesh tests (the real reference mesh, one shared instance started by
// test/mesh/global-setup.ts with `faultline up` of the packed, installed package, run one file at a
// time, in name order, each starting and leaving it steady: test/mesh/steady-per-file.ts); `npm test`
// runs these three (test/run.ts: the mesh project in one process, the other two beside it). The fourth, catalogue, is `npm run catalogue`: every catalogue entry on a fresh
// mesh against its documented outcome (long; its own command).
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import MeshInNameOrder from './mesh/sequencer.ts';

// `import ... from 'faultline'` (experiments, fixtures) means the sources here, not dist/.
const conditions = ['faultline-source', ...defaultServerConditions];

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // Mesh files in the order of their names, whatever vitest's cache says: see the file.
    sequence: { sequencer: MeshInNameOrder },
    projects: [
      // Some unit tests start the CLI as a process; while the mesh starts beside them, that is slow.
      // test/package/global-setup.ts: where the packed, installed package goes, shared with the mesh tests.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], globalSetup: ['test/package/global-setup.ts'], testTimeout: 30_000 } },
      // Launching chromium takes seconds on a small machine: generous hook and test timeouts.
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'mesh',
          include: ['test/mesh/**/*.test.ts'],
          globalSetup: ['test/package/global-setup.ts', 'test/mesh/global-setup.ts'],
          setupFiles: ['test/mesh/steady-per-file.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      // npm run catalogue: the whole catalogue on a fresh mesh, each entry against its documented outcome.
      {
        test: {
          name: 'catalogue',
          include: ['test/catalogue/**/*.test.ts'],
          globalSetup: ['test/package/global-setup.ts', 'test/mesh/global-setup.ts'],
          setupFiles: ['test/mesh/steady-per-file.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
