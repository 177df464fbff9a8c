// Documented exit codes (README, "Exit codes"). Distinct so scripts can tell them apart.
import { ErrorCodes, type ErrorCode } from '../core/errors.ts';

export const ExitCodes = {
  OK: 0,
  SLO_FAILED: 1,
  UNKNOWN: 2,
  CLEANUP_FAILED: 3,
  BAD_INPUT: 4,
  ENVIRONMENT: 5,
  INTERNAL: 70,
} as const;

const BAD_INPUT: ErrorCode[] = [ErrorCodes.BAD_INPUT, ErrorCodes.BAD_TARGET, ErrorCodes.UNKNOWN_LINK, ErrorCodes.UNKNOWN_NODE];

export function exitCodeFor(code: ErrorCode): number {
  if (BAD_INPUT.includes(code)) return ExitCodes.BAD_INPUT;
  if (code === ErrorCodes.INTERNAL) return ExitCodes.INTERNAL;
  return ExitCodes.ENVIRONMENT;
}
