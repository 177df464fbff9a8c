// The user's compose project as `docker compose config --format json` prints it: every file,
// profile, `extends` and interpolation already applied, so wrap reads what Compose will run, not
// the YAML the user wrote. Only the fields wrap reads are checked; the rest passes through.
import { z } from 'zod';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { exec } from '../runtime/exec.ts';

const Port = z.object({ target: z.number().int(), published: z.union([z.string(), z.number()]).optional(), host_ip: z.string().optional(), protocol: z.string().optional() }).loose();

const ServiceSchema = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string().optional() }).loose().optional(),
  environment: z.record(z.string(), z.string().nullable()).default({}),
  command: z.array(z.string()).nullable().optional(),
  entrypoint: z.array(z.string()).nullable().optional(),
  depends_on: z.record(z.string(), z.unknown()).default({}),
  ports: z.array(Port).default([]),
  expose: z.array(z.union([z.string(), z.number()])).default([]),
  network_mode: z.string().optional(),
  /** Other names clients may use: on the user's networks these reach the service too. */
  networks: z.record(z.string(), z.object({ aliases: z.array(z.string()).optional() }).loose().nullable()).default({}),
  hostname: z.string().optional(),
  container_name: z.string().optional(),
  scale: z.number().optional(),
  deploy: z.object({ replicas: z.number().optional() }).loose().nullable().optional(),
}).loose();

export const ComposeConfigSchema = z.object({
  name: z.string().min(1),
  services: z.record(z.string(), ServiceSchema),
}).loose();

export type ComposeConfig = z.infer<typeof ComposeConfigSchema>;
export type ComposeService = z.infer<typeof ServiceSchema>;

export function parseComposeConfig(raw: unknown, source: string): ComposeConfig {
  const r = ComposeConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new FaultlineError(ErrorCodes.BAD_INPUT, `${source} is not what \`docker compose config --format json\` prints`, 'pass the compose file itself (wrap runs `docker compose config` on it)', {
    details: r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  });
}

/** Compose's own reading of the file (with the caller's environment, as `docker compose up` would have it). */
export async function readComposeConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ComposeConfig> {
  const r = await exec('docker', ['compose', '-f', file, 'config', '--format', 'json'], { env, timeoutMs: 60_000 }).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
  if (r.code !== 0) {
    throw new FaultlineError(ErrorCodes.COMPOSE_FAILED, `docker compose config failed on ${file}`, 'run `docker compose -f <file> config` and correct what it says (is Docker Compose v2 installed? `faultline setup`)', {
      details: [{ path: file, message: r.stderr.trim().split('\n').slice(-5).join(' | ') || `exit code ${r.code}` }],
    });
  }
  return parseComposeConfig(JSON.parse(r.stdout), file);
}
