// A small paced writer for failover tests: one write every `everyMs` per app, each outcome
// timestamped, so a test can say when writes stopped and when they came back.
import { write } from './helpers.ts';

export interface Outcome { app: string; id: string; at: number; ok: boolean; status: number; node?: string }

export function startWriter(apps: string[], everyMs = 100, prefix = 'w') {
  const outcomes: Outcome[] = [];
  let running = true;
  let seq = 0;
  const loops = apps.map(async (app) => {
    while (running) {
      const id = `${prefix}-${app}-${Date.now()}-${seq++}`;
      const at = performance.now();
      try {
        const r = await write(app, id, 5000);
        const node = (r.body.postgres as { node?: string } | undefined)?.node;
        outcomes.push({ app, id, at, ok: r.status === 201, status: r.status, ...(node ? { node } : {}) });
      } catch {
        outcomes.push({ app, id, at, ok: false, status: 0 });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  });
  return {
    outcomes,
    async stop(): Promise<Outcome[]> {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** First time after `from` at which `app` had a successful write (matching `pred`). */
export const firstOkAfter = (os: Outcome[], app: string, from: number, pred: (o: Outcome) => boolean = () => true) =>
  os.find((o) => o.app === app && o.at >= from && o.ok && pred(o))?.at;
