// Docker healthcheck: ready means the app reaches both Postgres and Redis.
const port = process.argv[2] ?? process.env.PORT;
fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2500) })
  .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
