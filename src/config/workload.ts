// The workload as data: an open-loop stream of writes at a fixed rate through a client (by
// default the reference app, over the workload's own Toxiproxy links), so what clients see is
// measured, faults included. A client kind's own fields are checked by its schema, which lives with
// the kind in src/workload/clients/ (a layer above this one): see src/runner/check-experiment.ts.
import { z } from 'zod';
import { Duration } from '../core/duration.ts';

/** A client as far as config can see one; the exact union, one member per kind, is the workload layer's ClientInput. */
export type AnyClientInput = { kind: string } & Record<string, unknown>;
/** A client config its kind's schema accepted (defaults filled in). */
export type CheckedClient = { kind: string; [k: string]: unknown };

export const WorkloadSchema = z.object({
  /** Writes per second, sent on schedule whether or not earlier ones have answered. */
  rate: z.number().min(0.1).max(2000).default(20),
  /** Who sends the writes and reads them back: `{ kind: 'app' }` (the default), 'http', 'sql', 'redis' or 'user'. */
  client: z.object({ kind: z.string().min(1) }).loose().default({ kind: 'app' }),
  /** App client: app nodes to write through, round robin (the target's externalClient links); all of them when absent. */
  via: z.array(z.string().min(1)).min(1).optional(),
  /** App client: also write straight to these stores, without the app, in the same round robin. */
  direct: z.array(z.enum(['postgres', 'redis'])).default([]),
  /** An answer later than this makes the write indeterminate. */
  timeout: Duration.default(2000),
  /** Keep writing this long before the first fault (baseline) and after the last heal. */
  warmup: Duration.default(3000),
  cooldown: Duration.default(5000),
  /** Credentials the ledger reads the final primary with. */
  postgres: z.object({ user: z.string(), password: z.string(), database: z.string() }).strict().default({ user: 'app', password: 'app', database: 'app' }),
}).strict();

export type Workload = z.infer<typeof WorkloadSchema>;
export type WorkloadInput = z.input<typeof WorkloadSchema>;
