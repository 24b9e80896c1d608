/**
 * Query parameters shared by the listing operations: max-keys, encoding-type, continuation
 * tokens. Each invalid value is an S3 InvalidArgument naming the parameter and the value.
 */
import { S3Error } from '../../errors.js';
import type { S3Query } from '../../types.js';

export const MAX_KEYS_LIMIT = 1000;

const invalidArgument = (name: string, value: string, why: string): S3Error =>
  new S3Error('InvalidArgument', `${why} (${name}='${value}')`, { ArgumentName: name, ArgumentValue: value });

/** An integer parameter 0.., clamped to `limit`; absent → `limit`. */
export function maxParam(query: S3Query, name: string, limit = MAX_KEYS_LIMIT): number {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return limit;
  if (!/^-?\d{1,10}$/.test(raw))
    throw invalidArgument(name, raw, `Provided ${name} not an integer or within integer range`);
  const n = Number(raw);
  if (n < 0) throw invalidArgument(name, raw, `Argument ${name} must be an integer between 0 and 2147483647`);
  return Math.min(n, limit);
}

/** `encoding-type`: absent or `url`. */
export function encodingParam(query: S3Query): 'url' | undefined {
  const raw = query.get('encoding-type');
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'url') return 'url';
  throw invalidArgument('encoding-type', raw, 'Invalid Encoding Method specified in Request');
}

/** URL-encodes a key for `encoding-type=url` ('/' kept, as S3 does), or returns it unchanged. */
export function encodeKey(value: string, encoding: 'url' | undefined): string {
  if (encoding === undefined) return value;
  const e = encodeURIComponent(value);
  return e.indexOf('%2F') === -1 ? e : e.replaceAll('%2F', '/');
}

/** Optional non-empty string parameter (S3 treats an empty value as absent for delimiter). */
export function optionalParam(query: S3Query, name: string): string | undefined {
  const v = query.get(name);
  return v === undefined || v === '' ? undefined : v;
}
