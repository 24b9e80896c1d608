/**
 * The headers SigV4 sees. A client signs a repeated header as its values joined with ',' (each
 * trimmed), but node's `req.headers` joins most repeated headers with ', ' and keeps only the first
 * value of some (host, content-type, authorization, ...). So when a header name arrives more than
 * once, SigV4 gets every value separately (`req.headersDistinct`). The common case — no name repeated —
 * costs one key count and reuses `req.headers` as is.
 */
import type { IncomingMessage } from 'node:http';
import type { Headers } from '../sigv4/types.js';

/** `req.headers`, or `req.headersDistinct` when some header name was sent more than once. */
export function signingHeaders(req: IncomingMessage): Headers {
  const headers = req.headers;
  const raw = req.rawHeaders;
  // Every raw header line is one name/value pair; fewer distinct names than lines means a repeat.
  if (raw === undefined || raw.length === 0) return headers;
  let names = 0;
  for (const _ in headers) names++;
  return names * 2 === raw.length ? headers : req.headersDistinct;
}
