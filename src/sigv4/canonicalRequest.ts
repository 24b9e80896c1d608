/** The SigV4 canonical request and string to sign. */
import { hash } from 'node:crypto';
import { canonicalHeaderValue } from './headers.js';
import { canonicalQuery, canonicalUri } from './uriEncoding.js';
import type { SignedAuthInfo, SigningRequest } from './types.js';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

export interface CanonicalRequestOptions {
  /** S3 style: the path as received (encoding made canonical), not normalized nor double-encoded. */
  s3Style: boolean;
  /** The hash that goes on the last line (a hex digest, UNSIGNED-PAYLOAD or a STREAMING-* mode). */
  payloadHash: string;
  /** Use this canonical URI instead of deriving it from req.path. */
  canonicalUri?: string;
}

export function canonicalRequestFor(req: SigningRequest, auth: SignedAuthInfo, opts: CanonicalRequestOptions): string {
  const uri = opts.canonicalUri ?? canonicalUri(req.path, opts.s3Style);
  const query = canonicalQuery(req.query, auth.kind === 'query' ? 'X-Amz-Signature' : undefined);
  let headers = '';
  for (const name of auth.signedHeaders) headers += name + ':' + canonicalHeaderValue(req.headers, name) + '\n';
  return (
    req.method +
    '\n' +
    uri +
    '\n' +
    query +
    '\n' +
    headers +
    '\n' +
    auth.signedHeaders.join(';') +
    '\n' +
    opts.payloadHash
  );
}

export function scopeString(scope: { date: string; region: string; service: string }): string {
  return scope.date + '/' + scope.region + '/' + scope.service + '/aws4_request';
}

/**
 * The string to sign. `headerBytes`: hash the canonical request's characters as the bytes node read
 * them from (header values are Latin-1 readings of the wire bytes) instead of as UTF-8 text.
 */
export function stringToSignFor(amzDate: string, scope: string, canonicalRequest: string, headerBytes = false): string {
  const hashed = sha256Hex(headerBytes ? Buffer.from(canonicalRequest, 'latin1') : canonicalRequest);
  return 'AWS4-HMAC-SHA256\n' + amzDate + '\n' + scope + '\n' + hashed;
}

/** Characters 0x80–0xFF: a header that carried bytes beyond US-ASCII (node reads header bytes as Latin-1). */
export const HIGH_LATIN1 = /[\x80-\xff]/;
