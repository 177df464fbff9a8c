// Checks made before the mesh is touched, each failing with a coded error that names the fix.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { setupCommand } from '../core/package.ts';
import type { Target } from '../config/target.ts';
import type { Compose } from './compose.ts';
import { exec } from './exec.ts';

export async function checkEngine(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await exec('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000, env }).catch((e: Error) => ({ code: 127, stdout: '', stderr: e.message }));
  if (r.code === 0 && r.stdout.trim()) return r.stdout.trim();
  throw new FaultlineError(ErrorCodes.ENGINE_DOWN, `the Docker engine does not answer (${r.stderr.trim().split('\n')[0] || 'no docker CLI'})`,
    `start it: run \`${setupCommand()}\` (installs and starts dockerd), or \`sudo systemctl start docker\``);
}

export async function checkCompose(compose: Compose): Promise<string> {
  const v = await compose.version();
  if (v) return v;
  throw new FaultlineError(ErrorCodes.COMPOSE_MISSING, '`docker compose` (Compose v2) is not installed', `run \`${setupCommand()}\`, which builds and installs the pinned Compose plugin`);
}

async function imagePresent(image: string): Promise<boolean> {
  const r = await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 15_000 });
  return r.code === 0;
}

/**
 * Every image the compose file runs must be present or buildable: its base images present, and a
 * Node build context's dependencies installed on the host (the reference app's Dockerfile copies
 * node_modules, so that building needs no registry; set-up installs them).
 */
export async function checkImages(compose: Compose): Promise<void> {
  const missing = [];
  const unbuildable = [];
  for (const { image, built, context } of await compose.images()) {
    if (!built && !(await imagePresent(image))) missing.push(image);
    else if (built && context && existsSync(join(context, 'package-lock.json')) && !existsSync(join(context, 'node_modules')) && !(await imagePresent(image))) unbuildable.push({ image, context });
  }
  if (unbuildable.length) {
    throw new FaultlineError(ErrorCodes.IMAGE_MISSING, `image${unbuildable.length > 1 ? 's' : ''} not built yet, and not buildable: ${unbuildable.map((u) => u.image).join(', ')}`,
      `run \`${setupCommand()}\`: it installs their dependencies and builds the mesh images`,
      { details: unbuildable.map((u) => ({ path: u.image, message: `its build context ${u.context} has no node_modules` })) });
  }
  if (missing.length) {
    throw new FaultlineError(ErrorCodes.IMAGE_MISSING, `image${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`,
      `run \`${setupCommand()}\`: it pulls them, or seeds them from upstream sources where no registry answers`,
      { details: missing.map((m) => ({ path: m, message: 'not in the local image store' })) });
  }
}

export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Host ports the target publishes. */
export function publishedPorts(t: Target): { owner: string; port: number }[] {
  const out = [{ owner: `${t.toxiproxy.service} (API)`, port: t.toxiproxy.apiHostPort }];
  for (const [name, n] of Object.entries(t.nodes)) for (const [p, hp] of Object.entries(n.hostPorts)) out.push({ owner: `${name}:${p}`, port: hp });
  for (const [to, hp] of Object.entries(t.externalClient?.hostPorts ?? {})) out.push({ owner: `${t.externalClient?.name}->${to}`, port: hp });
  return out;
}

export async function checkPorts(t: Target): Promise<void> {
  const busy = [];
  for (const p of publishedPorts(t)) if (!(await portFree(t.host, p.port))) busy.push(p);
  if (busy.length) {
    throw new FaultlineError(ErrorCodes.PORT_IN_USE, `${busy.length} host port${busy.length > 1 ? 's' : ''} the mesh publishes ${busy.length > 1 ? 'are' : 'is'} in use on ${t.host}`,
      `stop what listens there (\`ss -ltnp | grep ${busy[0]?.port}\`), or run the mesh on another loopback address: FAULTLINE_BIND=127.0.0.2 faultline up`,
      { details: busy.map((b) => ({ path: `${t.host}:${b.port}`, message: `needed by ${b.owner}` })) });
  }
}
