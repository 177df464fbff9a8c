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

const BAD_INPUT: ErrorCode[] = [ErrorCodes.BAD_INPUT, ErrorCodes.BAD_EXPERIMENT, ErrorCodes.BAD_TARGET, ErrorCodes.UNKNOWN_LINK, ErrorCodes.UNKNOWN_NODE, ErrorCodes.KIND_CANNOT_ANSWER];

export function exitCodeFor(code: ErrorCode): number {
  if (BAD_INPUT.includes(code)) return ExitCodes.BAD_INPUT;
  if (code === ErrorCodes.INTERNAL) return ExitCodes.INTERNAL;
  // The rest is the machine, not the input: engine down, mesh not up, ports, and a host that
  // cannot run kernel-level faults (FL_KERNEL_FAULT_UNAVAILABLE: not root, no iptables, remote engine).
  return ExitCodes.ENVIRONMENT;
}

/** Several runs: cleanup failure first (something may still be broken), then fail, then unknown. */
export function exitCodeForRuns(runs: { verdict: 'pass' | 'fail' | 'unknown'; cleanup: { verdict: 'ok' | 'failed' } }[]): number {
  if (runs.some((r) => r.cleanup.verdict === 'failed')) return ExitCodes.CLEANUP_FAILED;
  if (runs.some((r) => r.verdict === 'fail')) return ExitCodes.SLO_FAILED;
  if (runs.some((r) => r.verdict === 'unknown')) return ExitCodes.UNKNOWN;
  return ExitCodes.OK;
}
