// Three projects: unit tests (no Docker), browser tests (reports opened in Debian's chromium, no
// Docker), and mesh tests (the real reference mesh, one shared instance started by
// test/mesh/global-setup.ts, run one file at a time, in name order, each starting and leaving it
// steady: test/mesh/steady-per-file.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import MeshInNameOrder from './mesh/sequencer.ts';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // Mesh files in the order of their names, whatever vitest's cache says: see the file.
    sequence: { sequencer: MeshInNameOrder },
    projects: [
      // Some unit tests start the CLI as a process; while the mesh starts beside them, that is slow.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      // Launching chromium takes seconds on a small machine: generous hook and test timeouts.
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'mesh',
          include: ['test/mesh/**/*.test.ts'],
          globalSetup: ['test/mesh/global-setup.ts'],
          setupFiles: ['test/mesh/steady-per-file.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
