// Closing for real: destroy a socket and resolve once its handle is gone, so stop() returns with
// nothing left open (a half-closed socket to a paused peer would otherwise linger).
import type { Socket } from 'node:net';

/** Sockets being destroyed, so a close() can wait for the ones dropped by earlier failures too. */
export class Closing {
  private readonly pending = new Set<Promise<void>>();

  destroy(s: Socket | undefined): Promise<void> {
    const p = destroySocket(s).finally(() => this.pending.delete(p));
    this.pending.add(p);
    return p;
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}

export function destroySocket(s: Socket | undefined): Promise<void> {
  if (!s || s.closed) return Promise.resolve();
  const gone = new Promise<void>((resolve) => s.once('close', () => resolve()));
  s.destroy();
  return gone;
}
