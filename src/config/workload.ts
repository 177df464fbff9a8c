// The workload as data: an open-loop stream of writes at a fixed rate through the app nodes (over
// the workload's own Toxiproxy links), so what clients see is measured, faults included.
import { z } from 'zod';
import { Duration } from '../core/duration.ts';

export const WorkloadSchema = z.object({
  /** Writes per second, sent on schedule whether or not earlier ones have answered. */
  rate: z.number().min(0.1).max(2000).default(20),
  /** App nodes to write through, round robin (the target's externalClient links); all of them when absent. */
  via: z.array(z.string().min(1)).min(1).optional(),
  /** Also write straight to these stores, without the app, in the same round robin. */
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
