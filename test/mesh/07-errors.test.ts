// Coded errors from `up` on real compose projects: a node that never gets healthy (its last log
// lines shown) and an image that is not there (the command that provides it named).
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ErrorCodes, FaultlineError, down, loadTarget, up } from '../../src/index.ts';
import { Compose } from '../../src/runtime/compose.ts';
import { checkImages } from '../../src/runtime/preflight.ts';

const sick = loadTarget(join(import.meta.dirname, '../fixtures/unhealthy/target.json'), { FAULTLINE_BIND: '127.0.0.2' });
afterAll(() => down(sick));

describe('up on a broken project', () => {
  it('names the unhealthy node and shows its last log lines', async () => {
    const err = (await up(sick, { timeoutS: 30 }).catch((e: unknown) => e)) as FaultlineError;
    expect(err).toBeInstanceOf(FaultlineError);
    expect(err.code).toBe(ErrorCodes.NODE_UNHEALTHY);
    expect(err.details[0]?.path).toBe('sick');
    expect(err.details[0]?.message).toContain('cannot reach my database');
  });

  it('names a missing image and the command that provides it', async () => {
    const withGhost = new Compose(sick);
    const prev = process.env.COMPOSE_PROFILES;
    process.env.COMPOSE_PROFILES = 'ghost';
    try {
      const err = (await checkImages(withGhost).catch((e: unknown) => e)) as FaultlineError;
      expect(err.code).toBe(ErrorCodes.IMAGE_MISSING);
      expect(err.message).toContain('faultline-test/never-built:missing');
      expect(err.fix).toContain('npm run setup');
    } finally {
      if (prev === undefined) delete process.env.COMPOSE_PROFILES;
      else process.env.COMPOSE_PROFILES = prev;
    }
  });
});
