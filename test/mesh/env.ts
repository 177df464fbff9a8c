// The test mesh is its own compose project on its own loopback address, so a mesh the user has
// running on 127.0.0.1 is neither reused nor disturbed. FAULTLINE_TEST_PROJECT/_BIND move it, so
// two test runs can share one engine.
import { loadTarget, type Target } from '../../src/index.ts';

export const TEST_ENV = {
  FAULTLINE_PROJECT: process.env.FAULTLINE_TEST_PROJECT ?? 'faultline-test',
  FAULTLINE_BIND: process.env.FAULTLINE_TEST_BIND ?? '127.0.0.2',
} as const;

export const testTarget = (): Target => loadTarget(undefined, { ...process.env, ...TEST_ENV });
