// Ctrl-C and SIGTERM turn into an abort: the timeline stops and every fault heals. A second
// Ctrl-C does not cut healing short (it says so); only a third leaves at once, and then the lock
// file stays behind as the marker `faultline reset` heals from.
export function onInterrupt(abort: (reason: Error) => void, say: (line: string) => void): () => void {
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      say(`${sig}: stopping the timeline and healing every fault (press Ctrl-C twice more to leave without healing)`);
      abort(new Interrupted(sig));
    } else if (count === 2) {
      say(`${sig}: still healing; faults are healed before faultline exits. Once more leaves them for \`faultline reset\`.`);
    } else {
      say(`${sig}: leaving now; run \`faultline reset\` to heal what is left`);
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export class Interrupted extends Error {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}
