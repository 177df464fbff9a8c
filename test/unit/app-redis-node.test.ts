// The app's Redis node attribution without Docker: a fake client whose connection (its `stream`)
// can be swapped mid-flight, as ioredis does on a reconnect.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { trackRedisNodes } from '../../services/app/src/redis-node.ts';

class FakeRedis extends EventEmitter {
  stream: object = { id: 1 };
  name = 'redis-a';
  configCalls = 0;
  /** Set to swap the connection while a CONFIG GET is in flight. */
  swapDuringConfig?: { stream: object; name: string };
  async config(): Promise<string[]> {
    this.configCalls++;
    await new Promise((r) => setTimeout(r, 5));
    // As ioredis does: a command in flight when its connection drops is resent on the next one,
    // so the answer comes from the node of the connection it arrives on.
    if (this.swapDuringConfig) Object.assign(this, this.swapDuringConfig);
    return ['replica-announce-ip', this.name];
  }
  reconnect(name: string) {
    this.stream = {};
    this.name = name;
    this.emit('ready');
  }
}

describe('which Redis node acknowledged a SET (services/app)', () => {
  it('names the node of the current connection, asked once per connection', async () => {
    const r = new FakeRedis();
    const nodes = trackRedisNodes(r as unknown as Redis);
    r.emit('ready');
    expect(await nodes.carrier()).toBe('redis-a');
    expect(await nodes.carrier()).toBe('redis-a');
    expect(r.configCalls).toBe(1);
    r.reconnect('redis-b');
    expect(await nodes.carrier()).toBe('redis-b');
  });

  it('names no node when the connection changed while its identity was asked', async () => {
    const r = new FakeRedis();
    const nodes = trackRedisNodes(r as unknown as Redis);
    r.swapDuringConfig = { stream: {}, name: 'redis-b' };
    // The write's connection was replaced before its identity came back: which node took the
    // write is not known. The answer names the new connection's node, for later writes.
    expect(await nodes.carrier()).toBeUndefined();
    r.swapDuringConfig = undefined;
    expect(await nodes.carrier()).toBe('redis-b');
    expect(r.configCalls).toBe(1);
  });
});
