// The trivial endpoint the generator benchmark aims at, in a process of its own so that serving
// does not share the generator's event loop. Prints its port on stdout once listening.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/writes', async (req, reply) => reply.code(201).send({ ok: true, id: (req.body as { id?: string } | null)?.id }));
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
console.log(`port ${typeof addr === 'object' && addr ? addr.port : 0}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
