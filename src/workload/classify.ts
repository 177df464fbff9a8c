// What an answer (or its absence) means for a write. "fail" only when the write certainly did
// not happen; anything that may have reached a store is "indeterminate", for the ledger to settle.
// Every client kind classifies by these rules, so "fail" means the same whoever sent the write.
export type Outcome = 'ok' | 'fail' | 'indeterminate';

// Errors raised before a request could reach the store: nothing was written.
const NOT_SENT = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|read-only transaction|timeout exceeded when trying to connect|connection timeout|no primary|Connection is closed|enableOfflineQueue/i;

export function classifyAnswer(status: number, body: unknown): Outcome {
  if (status === 201) return 'ok';
  if (status >= 400 && status < 500) return 'fail';
  const err = (body as { error?: { stage?: string; message?: string } } | null)?.error;
  // Redis failed after Postgres committed: half written, so neither acked nor certainly absent.
  if (err?.stage === 'redis') return 'indeterminate';
  if (err?.stage === 'postgres' && NOT_SENT.test(err.message ?? '')) return 'fail';
  return 'indeterminate';
}

/** Any HTTP API: one of its ok statuses is acknowledged; a client error (4xx) was refused, so not written; the rest is not known. */
export function classifyStatus(status: number, okStatuses: readonly number[]): Outcome {
  if (okStatuses.includes(status)) return 'ok';
  if (status >= 400 && status < 500) return 'fail';
  return 'indeterminate';
}

const text = (err: unknown): string => {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  return `${e?.code ?? ''} ${e?.cause?.code ?? ''} ${e?.cause?.message ?? ''} ${e?.message ?? ''}`;
};

/** A request that got no answer: refused before sending is a failure; a timeout or a cut connection is not known. */
export function classifyError(err: unknown): Outcome {
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND/.test(text(err))) return 'fail';
  return 'indeterminate';
}

// A database driver's error that says the command never reached a primary: refused, read-only
// (a replica), no connection to be had, or queued and dropped before it was sent.
// NOREPLICAS: a fenced Redis master (min-replicas-to-write) refuses without writing.
const STORE_NOT_SENT = /ECONNREFUSED|EHOSTUNREACH|read-only transaction|READONLY|NOREPLICAS|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|enableOfflineQueue|All sentinels are unreachable/i;

/** A Postgres or Redis driver's error on a write: certainly not written, or not known. */
export function classifyStoreError(err: unknown): Outcome {
  return STORE_NOT_SENT.test(text(err)) ? 'fail' : 'indeterminate';
}

/**
 * Is this thrown value the network's answer rather than a bug? A socket or DNS error code (on the
 * error or its cause, as fetch and undici report them), or a timeout/abort. A user's client that
 * lets such an error escape is classified by classifyError; anything else it throws is its bug.
 */
export function isTransportError(err: unknown): boolean {
  const e = err as { name?: string } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return true;
  return /\b(ECONNREFUSED|ECONNRESET|ECONNABORTED|EHOSTUNREACH|ENETUNREACH|ENETDOWN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|UND_ERR_[A-Z_]+)\b/.test(text(err));
}

/** A short, single-line description of an error for the journal. */
export function errorText(err: unknown): string {
  const e = err as Error & { code?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  return String(e?.code ?? e?.cause?.code ?? e?.message ?? err).split('\n')[0]!.slice(0, 200);
}
