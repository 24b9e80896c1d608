/**
 * Verifies a parsed SigV4 header or presigned signature against the secret of its access key.
 * Checks scope, clock skew / expiry, which headers are signed, the payload mode, then the
 * signature itself (constant-time compare).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalRequestFor, HIGH_LATIN1, scopeString, stringToSignFor } from './canonicalRequest.js';
import { SigV4Error } from './errors.js';
import { deriveSigningKey, type SigningKeyCache } from './signingKey.js';
import { canonicalUri } from './uriEncoding.js';
import { resolvePayloadMode } from './payloadMode.js';
import type { SignedAuthInfo, SigningRequest, VerifiedSignature } from './types.js';

export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export interface VerifyOptions {
  now: Date;
  /** The signing name this endpoint answers to: 's3', 'lightsail' (or 'service' in the test suite). */
  service: string;
  maxSkewMs?: number;
  keyCache?: SigningKeyCache;
  /** When set, the credential scope's region must equal it. */
  region?: string;
  /**
   * Hex SHA-256 of the whole body, for services that sign the body without sending
   * x-amz-content-sha256 (botocore does this for Lightsail). Used only when the request makes no claim.
   */
  payloadSha256?: string;
  /** Normalize and double-encode the path. Default: true except for service 's3'. */
  normalizePath?: boolean;
  /** Refuse x-amz-* headers that are not signed (S3 does). Default: service === 's3'. */
  requireSignedAmzHeaders?: boolean;
}

export function verifySignature(
  req: SigningRequest,
  auth: SignedAuthInfo,
  secretAccessKey: string,
  opts: VerifyOptions,
): VerifiedSignature {
  const kind = auth.kind;
  const { scope } = auth;
  if (scope.service !== opts.service) {
    throw new SigV4Error(
      'ScopeMismatch',
      `Credential should be scoped to correct service: '${opts.service}', not '${scope.service}'.`,
      { authKind: kind },
    );
  }
  if (opts.region !== undefined && scope.region !== opts.region) {
    throw new SigV4Error(
      'ScopeMismatch',
      `The credential region '${scope.region}' is wrong; expecting '${opts.region}'.`,
      { authKind: kind },
    );
  }
  if (scope.date !== auth.amzDate.slice(0, 8)) {
    throw new SigV4Error(
      'ScopeMismatch',
      `Invalid credential date '${scope.date}'. Date is not the same as the request date ${auth.amzDate}.`,
      { authKind: kind },
    );
  }
  const expiresAt = checkTime(auth, opts);
  checkSignedHeaders(req, auth, opts.requireSignedAmzHeaders ?? opts.service === 's3');
  const s3Style = !(opts.normalizePath ?? opts.service !== 's3');
  const payload = resolvePayloadMode(auth, opts.service, opts.payloadSha256);

  const scopeStr = scopeString(scope);
  const signingKey = opts.keyCache
    ? opts.keyCache.signingKey(auth.accessKeyId, secretAccessKey, scope.date, scope.region, scope.service)
    : deriveSigningKey(secretAccessKey, scope.date, scope.region, scope.service);
  const provided = Buffer.from(auth.signature, 'latin1');

  const uri = canonicalUri(req.path, s3Style);
  const canonical = canonicalRequestFor(req, auth, { s3Style, payloadHash: payload.canonicalHash, canonicalUri: uri });
  const sts = stringToSignFor(auth.amzDate, scopeStr, canonical);
  let expected = createHmac('sha256', signingKey).update(sts).digest('hex');
  let ok = sameSignature(provided, expected);
  // S3: a client may have signed the path exactly as it sent it (non-canonical escapes such as
  // %7E or lowercase hex). Try that spelling too before refusing.
  if (!ok && s3Style && uri !== req.path && req.path !== '') {
    const rawCanonical = canonicalRequestFor(req, auth, {
      s3Style,
      payloadHash: payload.canonicalHash,
      canonicalUri: req.path,
    });
    expected = createHmac('sha256', signingKey)
      .update(stringToSignFor(auth.amzDate, scopeStr, rawCanonical))
      .digest('hex');
    ok = sameSignature(provided, expected);
  }
  // A header value with bytes beyond US-ASCII: botocore (and S3) sign those bytes as they are on the
  // wire (UTF-8 text sent as its bytes), while node reads them as Latin-1 characters, which the
  // first try hashed as UTF-8 (what the JS SDK signs when it sends a Latin-1 byte). Try the bytes.
  if (!ok && HIGH_LATIN1.test(canonical)) {
    expected = createHmac('sha256', signingKey)
      .update(stringToSignFor(auth.amzDate, scopeStr, canonical, true))
      .digest('hex');
    ok = sameSignature(provided, expected);
  }
  if (!ok) {
    throw new SigV4Error(
      'SignatureMismatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        authKind: kind,
        canonicalRequest: canonical,
        stringToSign: sts,
      },
    );
  }
  return {
    kind,
    accessKeyId: auth.accessKeyId,
    scope,
    scopeString: scopeStr,
    signingKey,
    seedSignature: expected,
    payloadMode: payload.mode,
    ...(payload.sha256 !== undefined ? { payloadSha256: payload.sha256 } : {}),
    timestamp: auth.amzDate,
    requestTime: auth.requestTime,
    ...(expiresAt ? { expiresAt } : {}),
    ...(auth.securityToken !== undefined ? { securityToken: auth.securityToken } : {}),
  };
}

function sameSignature(provided: Buffer, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}

function checkTime(auth: SignedAuthInfo, opts: VerifyOptions): Date | undefined {
  const now = opts.now.getTime();
  const t = auth.requestTime.getTime();
  const maxSkew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const times = () => ({ requestTime: auth.requestTime.toISOString(), serverTime: opts.now.toISOString() });
  if (auth.kind === 'header') {
    if (Math.abs(now - t) > maxSkew) {
      throw new SigV4Error(
        'RequestTimeTooSkewed',
        `The difference between the request time (${auth.amzDate}) and the server time (${opts.now.toISOString()}) is more than ${Math.round(maxSkew / 60000)} minutes.`,
        { authKind: 'header', ...times() },
      );
    }
    return undefined;
  }
  const expiresAt = new Date(t + auth.expiresSeconds * 1000);
  if (now > expiresAt.getTime()) {
    throw new SigV4Error(
      'RequestExpired',
      `Request has expired: it was valid until ${expiresAt.toISOString()} (X-Amz-Date ${auth.amzDate} + X-Amz-Expires ${auth.expiresSeconds}s); it is now ${opts.now.toISOString()}.`,
      { authKind: 'query', ...times(), expiresAt: expiresAt.toISOString() },
    );
  }
  if (t - now > maxSkew) {
    throw new SigV4Error(
      'RequestNotYetValid',
      `Request is not valid yet: X-Amz-Date ${auth.amzDate} is in the future (server time ${opts.now.toISOString()}).`,
      { authKind: 'query', ...times() },
    );
  }
  return expiresAt;
}

function checkSignedHeaders(req: SigningRequest, auth: SignedAuthInfo, requireSignedAmz: boolean): void {
  const signed = auth.signedHeaders;
  if (!signed.includes('host')) {
    throw new SigV4Error(
      'IncompleteSignature',
      `The 'host' header must be signed; SignedHeaders was '${auth.signedHeadersRaw.slice(0, 200)}'.`,
      { authKind: auth.kind },
    );
  }
  if (auth.kind === 'header') {
    const dateHeader = req.headers['x-amz-date'] !== undefined ? 'x-amz-date' : 'date';
    if (!signed.includes(dateHeader)) {
      throw new SigV4Error(
        'IncompleteSignature',
        `The '${dateHeader}' header carries the request time and must be signed; SignedHeaders was '${auth.signedHeadersRaw.slice(0, 200)}'.`,
        { authKind: 'header' },
      );
    }
  }
  if (!requireSignedAmz) return;
  let notSigned: string[] | undefined;
  for (const name of Object.keys(req.headers)) {
    if (name.length < 6 || !name.startsWith('x-amz-') || req.headers[name] === undefined) continue;
    if (signed.includes(name)) continue;
    if (auth.kind === 'query' && name === 'x-amz-content-sha256') continue;
    (notSigned ??= []).push(name);
  }
  if (notSigned) {
    throw new SigV4Error(
      'UnsignedHeaders',
      `There were headers present in the request which were not signed: ${notSigned.join(', ')}`,
      { authKind: auth.kind, headersNotSigned: notSigned },
    );
  }
}
