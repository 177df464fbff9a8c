// Which Redis node acknowledged a command. Every address the app sees is Toxiproxy's, so each
// connection asks its server who it is (CONFIG GET replica-announce-ip: the node's mesh name).
// Why reading `redis.stream` right after an awaited reply names the connection that carried it:
// ioredis resolves a reply inside that socket's 'data' event and swaps `stream` only after the
// socket's 'close' event and a new connect, both later I/O events; the continuation is a
// microtask that runs before any of them.
import type { Redis } from 'ioredis';

export interface RedisNodes {
  /** The node of the connection whose reply was just awaited; undefined when not known. */
  carrier(): Promise<string | undefined>;
}

export function trackRedisNodes(redis: Redis): RedisNodes {
  const names = new WeakMap<object, string>();
  const asking = new WeakMap<object, Promise<void>>();
  // One question per connection at a time; its answer counts for the connection it arrived on.
  const ask = (stream: object): Promise<void> => {
    let p = asking.get(stream);
    if (!p) {
      p = (async () => {
        const reply = (await redis.config('GET', 'replica-announce-ip')) as unknown as string[];
        const answeredOn = redis.stream;
        if (typeof reply[1] === 'string' && reply[1]) names.set(answeredOn, reply[1]);
      })().catch(() => undefined).finally(() => asking.delete(stream));
      asking.set(stream, p);
    }
    return p;
  };
  // Asked on every (re)connect, so writes rarely wait for it.
  redis.on('ready', () => void ask(redis.stream));
  return {
    carrier() {
      const stream = redis.stream; // read before any await: see above
      if (names.has(stream)) return Promise.resolve(names.get(stream));
      return ask(stream).then(() => names.get(stream));
    },
  };
}
