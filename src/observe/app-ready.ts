// Source "app-ready": each app's readiness, straight from its published port (not through the
// workload's proxied link), so a faulted client link does not read as an unready app.
// The app streams it (GET /readyz/stream: a line every everyMs with its last store probe's verdict,
// "not ready" while a probe is unanswered past 250 ms): each poll reads the latest line here
// instead of asking the app, which then answers no HTTP request per poll and probes its stores
// every everyMs rather than per poll. A stream silent for longer than silenceMs (the app gone or
// stalled) is dropped: "down", reconnected on the next poll. An app without the stream (404) is
// polled on GET /readyz?maxAgeMs= instead.
import { Client } from 'undici';
import { readLines } from './lines.ts';
import type { Probe } from './poller.ts';
import { readyValue } from './values.ts';

export interface AppReadyTiming {
  /** How often the app writes a line (and starts a store probe, if none is running). */
  everyMs: number;
  /** A store probe unanswered this long makes the app say "not ready" (the poll timeout's equivalent). */
  slowMs: number;
  /** A stream without a line for this long is taken as down. */
  silenceMs: number;
  /** Connect timeout (and, for the fallback, the poll's). */
  timeoutMs: number;
}

/** A line of /readyz/stream: the readiness it reports. */
export const readyLineValue = (line: string): string => ((JSON.parse(line) as { ready?: unknown }).ready === true ? 'ready' : 'not-ready');

export function appReadyProbe(host: string, port: number, t: AppReadyTiming): Probe {
  const client = new Client(`http://${host}:${port}`, { connectTimeout: t.timeoutMs, headersTimeout: t.timeoutMs, bodyTimeout: 0 });
  // An app without the stream, learnt from its 404: polled on the same connection.
  let fallback: { connected: boolean } | undefined;
  let stream: { ac: AbortController; last?: { value: string; at: number }; first: Promise<void> } | undefined;

  const open = (): NonNullable<typeof stream> => {
    const ac = new AbortController();
    let firstLine!: () => void;
    let failed!: (e: unknown) => void;
    const s: NonNullable<typeof stream> = { ac, first: new Promise<void>((res, rej) => ((firstLine = res), (failed = rej))) };
    s.first.catch(() => undefined);
    stream = s;
    void client.request({ method: 'GET', path: `/readyz/stream?everyMs=${t.everyMs}&slowMs=${t.slowMs}`, signal: ac.signal })
      .then(async (r) => {
        if (r.statusCode === 404) {
          await r.body.dump();
          fallback ??= { connected: true };
          throw new Error('no readiness stream');
        }
        await readLines(r.body, (line) => {
          if (!line) return;
          s.last = { value: readyLineValue(line), at: performance.now() };
          firstLine();
        });
        throw new Error('readiness stream ended');
      })
      .catch((e: unknown) => failed(e))
      .finally(() => {
        ac.abort();
        if (stream === s) stream = undefined;
      });
    return s;
  };

  const pollFallback = async (signal: AbortSignal): Promise<string> => {
    fallback!.connected = false;
    const r = await client.request({ method: 'GET', path: `/readyz?maxAgeMs=${t.everyMs}`, signal });
    await r.body.dump();
    fallback!.connected = true;
    return readyValue(r.statusCode);
  };

  return {
    async poll(signal) {
      if (fallback) return pollFallback(signal);
      const s = stream ?? open();
      if (!s.last) {
        const aborted = new Promise<never>((_, rej) => signal.addEventListener('abort', () => rej(new Error('aborted')), { once: true }));
        try {
          await Promise.race([s.first, aborted]);
        } catch (e) {
          if (fallback) return pollFallback(signal); // an app without the stream: learnt just now
          s.ac.abort(); // start over on the next poll
          throw e;
        }
      }
      if (performance.now() - s.last!.at > t.silenceMs) {
        s.ac.abort();
        throw new Error(`no readiness line for ${t.silenceMs} ms`);
      }
      return s.last!.value;
    },
    connected: () => fallback ? fallback.connected : stream?.last !== undefined,
    async close() {
      stream?.ac.abort();
      await client.destroy();
    },
  };
}
