// Where the harness may reach: the Docker engine, Toxiproxy and HTTP probes must be on this
// machine unless an experiment explicitly allows otherwise, so a typo cannot fault someone else's
// system.
import { isIP } from 'node:net';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** The Docker endpoint's host, or undefined when it is a local socket. */
export function dockerEndpointHost(env: NodeJS.ProcessEnv): string | undefined {
  const h = env.DOCKER_HOST;
  if (!h || h.startsWith('unix://') || h.startsWith('npipe://')) return undefined;
  try {
    return new URL(h).hostname;
  } catch {
    return h;
  }
}
