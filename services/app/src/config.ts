// App settings from the environment (docker-compose.yml sets them), checked once at start.

export interface AppConfig {
  node: string;
  zone: string;
  port: number;
  pg: { host: string; port: number; user: string; password: string; database: string };
  redis: { sentinels: { host: string; port: number }[]; name: string };
}

function need(env: NodeJS.ProcessEnv, key: string): string {
  const v = env[key];
  if (!v) throw new Error(`APP_CONFIG: ${key} is not set; set it in docker-compose.yml (services/generate.ts)`);
  return v;
}

function portOf(key: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`APP_CONFIG: ${key}=${v} is not a TCP port`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const sentinels = need(env, 'REDIS_SENTINELS').split(',').map((hp) => {
    const [host, port] = hp.trim().split(':');
    if (!host || !port) throw new Error(`APP_CONFIG: REDIS_SENTINELS entry "${hp}" is not host:port`);
    return { host, port: portOf('REDIS_SENTINELS', port) };
  });
  return {
    node: need(env, 'NODE_NAME'),
    zone: need(env, 'ZONE'),
    port: portOf('PORT', need(env, 'PORT')),
    pg: {
      host: need(env, 'PGHOST'),
      port: portOf('PGPORT', need(env, 'PGPORT')),
      user: need(env, 'PGUSER'),
      password: need(env, 'PGPASSWORD'),
      database: need(env, 'PGDATABASE'),
    },
    redis: { sentinels, name: need(env, 'REDIS_MASTER_NAME') },
  };
}
