// Coded errors raised before anything is touched, on real sockets and a real docker CLI.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, FaultlineError, loadTarget } from '../../src/index.ts';
import { checkEngine, checkPorts } from '../../src/runtime/preflight.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

describe('preflight checks', () => {
  it('names the engine problem and the command that fixes it', async () => {
    const err = await checkEngine({ ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaultlineError);
    expect((err as FaultlineError).code).toBe(ErrorCodes.ENGINE_DOWN);
    expect((err as FaultlineError).fix).toContain('npm run setup');
  });

  it('lists every published port that is taken, and how to move the mesh', async () => {
    const t = loadTarget(undefined, { FAULTLINE_BIND: '127.0.0.7' });
    server = createServer();
    await new Promise<void>((r) => server!.listen(t.toxiproxy.apiHostPort, '127.0.0.7', () => r()));
    const err = (await checkPorts(t).catch((e: unknown) => e)) as FaultlineError;
    expect(err.code).toBe(ErrorCodes.PORT_IN_USE);
    expect(err.details).toEqual([{ path: `127.0.0.7:${t.toxiproxy.apiHostPort}`, message: 'needed by toxiproxy (API)' }]);
    expect(err.fix).toContain('FAULTLINE_BIND=');
  });
});
