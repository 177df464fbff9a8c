// SLOs as data, declared in the experiment and judged after the run by the checks. A limit per
// store may be one value for every store or a map { store: value }. Judging settings (how long
// after a heal a failover still counts as caused by it) live beside them.
import { z } from 'zod';
import { Duration } from '../core/duration.ts';

const PerStore = <T extends z.ZodType>(v: T) => z.union([v, z.record(z.string().min(1), v)]);

export const SloSchema = z.object({
  /** Fault → every client writes again, per failover of each store a fault hit. */
  maxFailoverTime: PerStore(Duration).optional(),
  /** Time in which no client's write succeeded; `{ limit, perClient: true }` judges the worst client instead. */
  maxUnavailableTime: z.union([Duration, z.object({ limit: Duration, perClient: z.boolean().default(false) }).strict()]).optional(),
  maxLostAckedWrites: z.number().int().min(0).optional(),
  /** Share of writes during the faults that failed or are indeterminate, 0..1. */
  maxErrorRate: z.number().min(0).max(1).optional(),
  /** Error rate once the steady state is back: "baseline" (the default with a workload) keeps it within the pre-fault band. */
  maxErrorRateAfter: z.union([z.number().min(0).max(1), z.literal('baseline')]).optional(),
  /** p99 latency of every write due during the faults, failures counted at their time to failure. */
  maxP99DuringFault: Duration.optional(),
  /** No two members of a store acknowledged writes in overlapping time. */
  noSplitBrain: z.boolean().optional(),
  /** Time in which two members of a store *said* primary at once, whether or not either took writes. */
  maxDualPrimaryClaim: Duration.optional(),
  /** Primary changes per store during the run. */
  maxFailovers: PerStore(z.number().int().min(0)).optional(),
}).strict();

export type Slos = z.infer<typeof SloSchema>;
export type SlosInput = z.input<typeof SloSchema>;

export const JudgingSchema = z.object({
  /** A failover within this long after a fault on the old primary healed still counts as caused by it. */
  settleAfterHeal: Duration.default(10_000),
}).strict();

export type Judging = z.infer<typeof JudgingSchema>;
export type JudgingInput = z.input<typeof JudgingSchema>;
