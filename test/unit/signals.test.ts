// Ctrl-C handling without a real terminal: the first signal aborts (and healing starts), the
// second only says healing goes on, the third leaves at once (the marker stays for `reset`).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Interrupted, onInterrupt } from '../../src/runner/signals.ts';

describe('interrupts', () => {
  let unhook = () => undefined as void;
  afterEach(() => {
    unhook();
    vi.restoreAllMocks();
  });

  it('first aborts, second does not stop healing, third exits 130', () => {
    const aborts: Error[] = [];
    const said: string[] = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    unhook = onInterrupt((e) => aborts.push(e), (l) => said.push(l));
    process.emit('SIGINT', 'SIGINT');
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toBeInstanceOf(Interrupted);
    expect(said[0]).toMatch(/stopping the timeline and healing/);
    process.emit('SIGTERM', 'SIGTERM');
    expect(aborts).toHaveLength(1);
    expect(said[1]).toMatch(/still healing/);
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGINT', 'SIGINT');
    expect(said[2]).toMatch(/faultline reset/);
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('unhooking removes the handlers', () => {
    const before = process.listenerCount('SIGINT');
    const off = onInterrupt(() => undefined, () => undefined);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    off();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
