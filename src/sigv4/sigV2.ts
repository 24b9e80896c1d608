/**
 * S3 Signature Version 2 (opt-in, `--sigv2 on`): the `Authorization: AWS AKID:signature` header and
 * the `AWSAccessKeyId`/`Signature`/`Expires` query, per the S3 documentation "Signing and
 * authenticating REST requests". The string to sign is
 *
 *   VERB \n Content-MD5 \n Content-Type \n Date-or-Expires \n CanonicalizedAmzHeaders CanonicalizedResource
 *
 * where the date line is empty when an `x-amz-date` header carries the time (it is then signed among
 * the `x-amz-*` headers), and the resource is `/bucket/key` plus the sub-resources the query names.
 * The signature is base64 HMAC-SHA1 of that string under the secret key; compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SigV4Error } from './errors.js';
import { firstHeader } from './headers.js';
import { parseHttpDate } from './requestTime.js';
import { canonicalUri, decodeComponent } from './uriEncoding.js';
import type { Headers, PayloadMode, SigningRequest, VerifiedSignature } from './types.js';

export interface SigV2Info {
  kind: 'sigv2';
  via: 'header' | 'query';
  accessKeyId: string;
  /** base64, as sent (decoded from the query when presigned). */
  signature: string;
  /** Query only: epoch seconds after which the URL is refused. */
  expires?: number;
}

/**
 * The query parameters that are sub-resources (or response overrides) and so part of the signed
 * resource; every other parameter is not signed in SigV2.
 */
const SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'retention',
  'select',
  'select-type',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

const HEADER_SCHEME = /^AWS ([^:\s]+):(\S+)$/;

/** The SigV2 claims in a header value `AWS AKID:sig`; undefined when the header is not SigV2 at all. */
export function parseSigV2Header(authorization: string): SigV2Info | undefined {
  if (!authorization.startsWith('AWS ')) return undefined;
  const m = HEADER_SCHEME.exec(authorization.trim());
  if (m === null) {
    throw new SigV4Error(
      'IncompleteSignature',
      'The Signature Version 2 Authorization header must be "AWS AccessKeyId:Signature".',
      { authKind: 'header' },
    );
  }
  return { kind: 'sigv2', via: 'header', accessKeyId: m[1], signature: m[2] };
}

/** The SigV2 claims of a presigned query (`AWSAccessKeyId`, `Signature`, `Expires`, each required). */
export function parseSigV2Query(params: ReadonlyMap<string, string>): SigV2Info {
  const accessKeyId = params.get('AWSAccessKeyId');
  const signature = params.get('Signature');
  const expiresText = params.get('Expires');
  const missing = [
    ['AWSAccessKeyId', accessKeyId],
    ['Signature', signature],
    ['Expires', expiresText],
  ]
    .filter(([, v]) => !v)
    .map(([n]) => n);
  if (missing.length > 0) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      `Query-string authentication (Signature Version 2) requires the AWSAccessKeyId, Signature and Expires parameters; missing: ${missing.join(', ')}`,
      { authKind: 'query' },
    );
  }
  if (!/^\d{1,12}$/.test(expiresText!)) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      `Expires must be the time the URL stops working, in whole seconds since 1970-01-01, not '${expiresText!.slice(0, 20)}'`,
      { authKind: 'query' },
    );
  }
  return {
    kind: 'sigv2',
    via: 'query',
    accessKeyId: accessKeyId!,
    signature: signature!,
    expires: Number(expiresText),
  };
}

export interface SigV2Options {
  now: Date;
  /** For virtual-hosted requests: the bucket the host names (it leads the signed resource). */
  hostBucket?: string;
  /** The request names a bucket and no key (its path-style resource may be signed with a trailing '/'). */
  bucketOnly?: boolean;
  maxSkewMs?: number;
}

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

const headerValues = (headers: Headers, name: string): string[] => {
  const v = headers[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
};

/** `x-amz-*` headers, lowercase names sorted, repeated values joined with ',', each line ending in \n. */
function canonicalAmzHeaders(headers: Headers): string {
  const names = Object.keys(headers)
    .filter((n) => n.startsWith('x-amz-') && headers[n] !== undefined)
    .sort();
  let out = '';
  for (const n of names) {
    const values = headerValues(headers, n).map((v) => v.trim().replace(/\s+/g, ' '));
    out += `${n}:${values.join(',')}\n`;
  }
  return out;
}

/** The sub-resources of the query, sorted by name, values decoded; '' when there are none. */
function subresources(query: string): string {
  if (query === '') return '';
  const picked: [string, string | undefined][] = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!SUBRESOURCES.has(name)) continue;
    picked.push([name, eq < 0 ? undefined : (decodeComponent(part.slice(eq + 1)) ?? part.slice(eq + 1))]);
  }
  if (picked.length === 0) return '';
  picked.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return '?' + picked.map(([n, v]) => (v === undefined ? n : `${n}=${v}`)).join('&');
}

export function sigV2StringToSign(req: SigningRequest, info: SigV2Info, path: string, hostBucket?: string): string {
  const md5 = firstHeader(req.headers, 'content-md5')?.trim() ?? '';
  const type = firstHeader(req.headers, 'content-type')?.trim() ?? '';
  let date: string;
  if (info.via === 'query') date = String(info.expires);
  else date = req.headers['x-amz-date'] !== undefined ? '' : (firstHeader(req.headers, 'date')?.trim() ?? '');
  const resource = (hostBucket === undefined ? '' : `/${hostBucket}`) + (path === '' ? '/' : path);
  return `${req.method}\n${md5}\n${type}\n${date}\n${canonicalAmzHeaders(req.headers)}${resource}${subresources(req.query)}`;
}

function sameSignature(provided: string, expected: string): boolean {
  const a = Buffer.from(provided, 'latin1');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkTime(req: SigningRequest, info: SigV2Info, opts: SigV2Options): { requestTime: Date; expiresAt?: Date } {
  const now = opts.now.getTime();
  if (info.via === 'query') {
    const expiresAt = new Date(info.expires! * 1000);
    if (now > expiresAt.getTime()) {
      throw new SigV4Error(
        'RequestExpired',
        `Request has expired: the URL was valid until ${expiresAt.toISOString()} (Expires ${info.expires}); it is now ${opts.now.toISOString()}.`,
        { authKind: 'query', serverTime: opts.now.toISOString(), expiresAt: expiresAt.toISOString() },
      );
    }
    return { requestTime: opts.now, expiresAt };
  }
  const amz = firstHeader(req.headers, 'x-amz-date');
  const text = amz ?? firstHeader(req.headers, 'date');
  if (text === undefined) {
    throw new SigV4Error(
      'InvalidRequestDate',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      { authKind: 'header' },
    );
  }
  const t = parseHttpDate(text.trim());
  if (t === undefined) {
    throw new SigV4Error(
      'InvalidRequestDate',
      `${amz !== undefined ? 'x-amz-date' : 'Date'} '${text.slice(0, 40)}' is not a valid HTTP date`,
      { authKind: 'header' },
    );
  }
  const maxSkew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(now - t.requestTime.getTime()) > maxSkew) {
    throw new SigV4Error(
      'RequestTimeTooSkewed',
      `The difference between the request time (${t.requestTime.toISOString()}) and the server time (${opts.now.toISOString()}) is more than ${Math.round(maxSkew / 60000)} minutes.`,
      { authKind: 'header', requestTime: t.requestTime.toISOString(), serverTime: opts.now.toISOString() },
    );
  }
  return { requestTime: t.requestTime };
}

/** What the body may be: SigV2 signs no payload, so only a plain body (checked by Content-MD5/checksums if sent). */
function payloadMode(req: SigningRequest, via: 'header' | 'query'): { mode: PayloadMode; sha256?: string } {
  const claim = firstHeader(req.headers, 'x-amz-content-sha256')?.trim();
  if (claim === undefined || claim === 'UNSIGNED-PAYLOAD') return { mode: 'UNSIGNED-PAYLOAD' };
  if (/^[0-9a-fA-F]{64}$/.test(claim)) return { mode: 'SHA256', sha256: claim.toLowerCase() };
  throw new SigV4Error(
    'InvalidPayloadMode',
    `x-amz-content-sha256 '${claim.slice(0, 80)}' cannot be used with Signature Version 2; send the body as is`,
    { authKind: via },
  );
}

/**
 * Verifies a SigV2 request with the secret of its key. The result looks like a SigV4 verification
 * with an unsigned payload (scope: the request's day in `region`, service s3), marked `version: 2`.
 */
export function verifySigV2(
  req: SigningRequest,
  info: SigV2Info,
  secretAccessKey: string,
  region: string,
  opts: SigV2Options,
): VerifiedSignature {
  const { requestTime, expiresAt } = checkTime(req, info, opts);
  const payload = payloadMode(req, info.via);
  const hmac = (s: string) => createHmac('sha1', secretAccessKey).update(s, 'utf8').digest('base64');
  // A client may have signed the path in canonical escaping rather than as sent; botocore signs a
  // path-style bucket as `/bucket/` where the documented resource is the path as sent (`/bucket`).
  const paths = [req.path];
  const canonical = canonicalUri(req.path, true);
  if (canonical !== req.path) paths.push(canonical);
  if (opts.bucketOnly === true && !req.path.endsWith('/')) paths.push(req.path + '/');
  const sts = sigV2StringToSign(req, info, req.path, opts.hostBucket);
  let ok = false;
  for (const path of paths) {
    const candidate = path === req.path ? sts : sigV2StringToSign(req, info, path, opts.hostBucket);
    if (sameSignature(info.signature, hmac(candidate))) {
      ok = true;
      break;
    }
  }
  if (!ok) {
    throw new SigV4Error(
      'SignatureMismatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { authKind: info.via, stringToSign: sts },
    );
  }
  const date = requestTime.toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
  return {
    kind: info.via,
    version: 2,
    accessKeyId: info.accessKeyId,
    scope: { date: date.slice(0, 8), region, service: 's3' },
    scopeString: '',
    signingKey: Buffer.alloc(0),
    seedSignature: '',
    payloadMode: payload.mode,
    ...(payload.sha256 !== undefined ? { payloadSha256: payload.sha256 } : {}),
    timestamp: date,
    requestTime,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}
