// Request templates: `{id}` stands for one write's id, `{ids}` for a batch of them. In a URL each
// id is percent-encoded (a batch comma-joined); in a text body or a header `{id}` is the id as it is
// and `{ids}` a JSON array; in a JSON body a string that is exactly "{ids}" becomes the array and
// `{id}` is replaced inside any string.
export type Body = string | Record<string, unknown> | unknown[];

export const usesId = (...parts: unknown[]): boolean => parts.some((p) => p !== undefined && JSON.stringify(p).includes('{id}'));
export const usesIds = (...parts: unknown[]): boolean => parts.some((p) => p !== undefined && JSON.stringify(p).includes('{ids}'));

export function fillUrl(url: string, ids: string[]): string {
  return url.replaceAll('{ids}', ids.map(encodeURIComponent).join(',')).replaceAll('{id}', encodeURIComponent(ids[0] ?? ''));
}

export const fillText = (s: string, ids: string[]): string => s.replaceAll('{ids}', JSON.stringify(ids)).replaceAll('{id}', ids[0] ?? '');

function fillJson(v: unknown, ids: string[]): unknown {
  if (typeof v === 'string') return v === '{ids}' ? ids : v.replaceAll('{id}', ids[0] ?? '');
  if (Array.isArray(v)) return v.map((x) => fillJson(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillJson(x, ids)]));
  return v;
}

/** The request's body and headers for these ids; a JSON body gets a JSON content type unless one is given. */
export function fillRequest(r: { headers: Record<string, string>; body?: Body | undefined }, ids: string[]): { headers: Record<string, string>; body?: string } {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), fillText(v, ids)]));
  if (r.body === undefined) return { headers };
  if (typeof r.body === 'string') return { headers, body: fillText(r.body, ids) };
  return { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(fillJson(r.body, ids)) };
}

/** The value at a dot path of a JSON answer ('' is the answer itself). */
export const at = (v: unknown, path: string): unknown => (path ? path.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), v) : v);
