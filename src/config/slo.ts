// SLOs as data, declared in the experiment and judged after the run by the checks. A limit per
// store may be one value for every store or a map { store: value }.
import { z } from 'zod';
import { Duration } from '../core/duration.ts';

const PerStore = <T extends z.ZodType>(v: T) => z.union([v, z.record(z.string().min(1), v)]);

export const SloSchema = z.object({
  /** Fault injection → every client writes again, per store that failed over. */
  maxFailoverTime: PerStore(Duration).optional(),
  /** Total time in which no write succeeded. */
  maxUnavailableTime: Duration.optional(),
  maxLostAckedWrites: z.number().int().min(0).optional(),
  /** Share of writes during the faults that failed or are indeterminate, 0..1. */
  maxErrorRate: z.number().min(0).max(1).optional(),
  maxP99DuringFault: Duration.optional(),
  noSplitBrain: z.boolean().optional(),
  /** Primary changes per store during the run. */
  maxFailovers: PerStore(z.number().int().min(0)).optional(),
}).strict();

export type Slos = z.infer<typeof SloSchema>;
export type SlosInput = z.input<typeof SloSchema>;
