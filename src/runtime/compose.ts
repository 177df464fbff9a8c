// Docker Compose, driven through its CLI for one target's project.
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import { exec, type ExecOptions } from './exec.ts';

export interface ServiceState {
  service: string;
  container: string;
  state: string; // running, exited, paused, ...
  health: string; // healthy, unhealthy, starting, or '' without a healthcheck
  exitCode: number;
}

export class Compose {
  readonly target: Target;
  /** Override files laid over the target's compose file (a variant's, at `up`), in order. */
  readonly overrides: string[];
  constructor(target: Target, overrides: string[] = []) {
    this.target = target;
    this.overrides = overrides;
  }

  private args(...rest: string[]): string[] {
    return ['compose', '-p', this.target.projectName, '-f', this.target.composePath, ...[...(this.target.composeOverridePaths ?? []), ...this.overrides].flatMap((f) => ['-f', f]), ...rest];
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, FAULTLINE_BIND: this.target.host };
  }

  run(args: string[], opts: ExecOptions = {}) {
    return exec('docker', this.args(...args), { env: this.env(), ...opts });
  }

  async version(): Promise<string | null> {
    const r = await exec('docker', ['compose', 'version', '--short'], { timeoutMs: 10_000 }).catch(() => null);
    return r && r.code === 0 ? r.stdout.trim() : null;
  }

  /** Images the compose file names, with whether each is built by it (vs. pulled as is), and from which directory. */
  async images(): Promise<{ image: string; built: boolean; context?: string }[]> {
    const r = await this.run(['config', '--format', 'json'], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new FaultlineError(ErrorCodes.COMPOSE_FAILED, `docker compose config failed: ${r.stderr.trim()}`, `check ${this.target.composePath}`);
    const cfg = JSON.parse(r.stdout) as { services: Record<string, { image?: string; build?: { context?: string } }> };
    const seen = new Map<string, { image: string; built: boolean; context?: string }>();
    for (const s of Object.values(cfg.services)) {
      if (!s.image || seen.get(s.image)?.built) continue;
      seen.set(s.image, { image: s.image, built: Boolean(s.build), ...(s.build?.context ? { context: s.build.context } : {}) });
    }
    return [...seen.values()];
  }

  async ps(): Promise<ServiceState[]> {
    const r = await this.run(['ps', '--all', '--format', 'json'], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new FaultlineError(ErrorCodes.COMPOSE_FAILED, `docker compose ps failed: ${r.stderr.trim()}`, 'is the Docker engine running? (faultline status)');
    // Compose prints one JSON object per line.
    return r.stdout.split('\n').filter((l) => l.trim()).map((l) => {
      const c = JSON.parse(l) as { Service: string; Name: string; State: string; Health: string; ExitCode: number };
      return { service: c.Service, container: c.Name, state: c.State, health: c.Health ?? '', exitCode: c.ExitCode ?? 0 };
    });
  }

  async logs(service: string, tail = 20): Promise<string> {
    const r = await this.run(['logs', '--no-color', '--no-log-prefix', '--tail', String(tail), service], { timeoutMs: 30_000 });
    return (r.stdout + r.stderr).trimEnd();
  }
}
