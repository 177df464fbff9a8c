// What an answer (or its absence) means for a write. "fail" only when the write certainly did
// not happen; anything that may have reached a store is "indeterminate", for the ledger to settle.
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

/** A request that got no answer: refused before sending is a failure; a timeout or a cut connection is not known. */
export function classifyError(err: unknown): Outcome {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = `${e?.code ?? ''} ${e?.cause?.code ?? ''} ${e?.cause?.message ?? ''} ${e?.message ?? ''}`;
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND/.test(text)) return 'fail';
  return 'indeterminate';
}
