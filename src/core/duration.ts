// Durations in experiment files: a number of milliseconds, or a string such as "500ms", "5s",
// "1.5m", "2h". Parsed strictly: "5 sec" or "-1s" are refused rather than guessed at.
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
/** The longest duration anything in an experiment may declare. */
export const MAX_DURATION_MS = 24 * 3_600_000;

export function parseDuration(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  const m = PATTERN.exec(v.trim());
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]) : undefined;
}

/** A zod field accepting a duration and yielding milliseconds. */
export const Duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a duration; write milliseconds (5000) or a string like "500ms", "5s", "2m", "1h"` });
    return z.NEVER;
  }
  if (ms > MAX_DURATION_MS) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is longer than 24 h` });
    return z.NEVER;
  }
  return ms;
});

export const formatMs = (ms: number): string =>
  ms === Infinity ? '∞' : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${+(ms / 1000).toFixed(2)} s` : `${+(ms / 60_000).toFixed(1)} min`;
