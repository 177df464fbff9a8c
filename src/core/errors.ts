// Every error faultline raises on purpose: a stable code, what happened, and what to do next.
// Codes live here and nowhere else, so the docs, the CLI and the tests agree on them.

export const ErrorCodes = {
  ENGINE_DOWN: 'FL_ENGINE_DOWN',
  COMPOSE_MISSING: 'FL_COMPOSE_MISSING',
  IMAGE_MISSING: 'FL_IMAGE_MISSING',
  PORT_IN_USE: 'FL_PORT_IN_USE',
  NODE_UNHEALTHY: 'FL_NODE_UNHEALTHY',
  MESH_NOT_UP: 'FL_MESH_NOT_UP',
  COMPOSE_FAILED: 'FL_COMPOSE_FAILED',
  TOXIPROXY_UNREACHABLE: 'FL_TOXIPROXY_UNREACHABLE',
  TOXIPROXY_REQUEST: 'FL_TOXIPROXY_REQUEST',
  UNKNOWN_LINK: 'FL_UNKNOWN_LINK',
  UNKNOWN_NODE: 'FL_UNKNOWN_NODE',
  BAD_TARGET: 'FL_BAD_TARGET',
  BAD_INPUT: 'FL_BAD_INPUT',
  BAD_EXPERIMENT: 'FL_BAD_EXPERIMENT',
  RUN_LOCKED: 'FL_RUN_LOCKED',
  KERNEL_FAULT_UNAVAILABLE: 'FL_KERNEL_FAULT_UNAVAILABLE',
  /** An experiment asks a store what its kind cannot answer (its primary, a placement, a failover SLO). */
  KIND_CANNOT_ANSWER: 'FL_KIND_CANNOT_ANSWER',
  /** A variant could not be applied, read back or reverted on every node (one did not answer, or did not take it). */
  VARIANT_NOT_IN_FORCE: 'FL_VARIANT_NOT_IN_FORCE',
  /** The workload's client could not open (its store unreachable, a user client's open() threw). */
  CLIENT_UNAVAILABLE: 'FL_CLIENT_UNAVAILABLE',
  /** A timeline's `exec` step: the command exited non-zero or did not finish in time. */
  EXEC_FAILED: 'FL_EXEC_FAILED',
  /** Printed by src/cli/bin.js, which runs before anything that needs a newer Node is loaded. */
  NODE_TOO_OLD: 'FL_NODE_TOO_OLD',
  INTERNAL: 'FL_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorDetail {
  /** Where the problem is: a field path, a node, a port. */
  path?: string;
  /** When this problem has a code of its own (one error may list problems of several), e.g. FL_KIND_CANNOT_ANSWER, or FL_KERNEL_FAULT_UNAVAILABLE where the machine is at fault rather than the input. */
  code?: ErrorCode;
  message: string;
  fix?: string;
}

export class FaultlineError extends Error {
  readonly code: ErrorCode;
  readonly fix: string;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, fix: string, opts: { details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'FaultlineError';
    this.code = code;
    this.fix = fix;
    this.details = opts.details ?? [];
  }

  /** What it takes to raise the same error elsewhere (e.g. from a worker thread). */
  toData(): FaultlineErrorData {
    return { code: this.code, message: this.message, fix: this.fix, details: this.details };
  }

  static fromData(d: FaultlineErrorData): FaultlineError {
    return new FaultlineError(d.code, d.message, d.fix, { details: d.details });
  }

  /**
   * The error as whatever serializes errors sees it (vitest, loggers, JSON.stringify): `message`
   * is the whole of formatError's text (code, message, each detail, the fix), so a failing test
   * shows what to do next, not only the headline; `summary` is the headline alone.
   */
  toJSON(): FaultlineErrorData & { name: string; summary: string } {
    return { name: this.name, code: this.code, message: formatError(this).replace(/^error /, ''), summary: this.message, fix: this.fix, details: this.details };
  }
}

export interface FaultlineErrorData { code: ErrorCode; message: string; fix: string; details: ErrorDetail[] }

export const isFaultlineError = (e: unknown): e is FaultlineError => e instanceof FaultlineError;

/** Render for a terminal: code and message, each detail on its own line, then the fix. */
export function formatError(e: FaultlineError): string {
  const lines = [`error ${e.code}: ${e.message}`];
  for (const d of e.details) lines.push(`  - ${d.code && d.code !== e.code ? `[${d.code}] ` : ''}${d.path ? `${d.path}: ` : ''}${d.message}${d.fix ? ` (fix: ${d.fix})` : ''}`);
  lines.push(`  fix: ${e.fix}`);
  return lines.join('\n');
}
