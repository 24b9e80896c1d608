/**
 * Reads the SigV4 claims of a request: the Authorization header or the presigned query.
 * Nothing is verified here; the caller looks up the secret for `accessKeyId`, then verifies.
 */
import { SigV4Error } from './errors.js';
import { firstHeader } from './headers.js';
import { decodeComponent } from './uriEncoding.js';
import type { AnonymousInfo, AuthHeaderInfo, AuthQueryInfo, CredentialScope, SigningRequest } from './types.js';
import { parseAmzDate, parseHttpDate } from './requestTime.js';
import { parseSigV2Header, parseSigV2Query, type SigV2Info } from './sigV2.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const MAX_PRESIGNED_EXPIRES = 604800;

const QUERY_AUTH_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
  'AWSAccessKeyId',
  'Signature',
  'Expires',
] as const;
type QueryAuthParam = (typeof QUERY_AUTH_PARAMS)[number];
const QUERY_AUTH_SET: ReadonlySet<string> = new Set(QUERY_AUTH_PARAMS);
const REQUIRED_QUERY_PARAMS: readonly QueryAuthParam[] = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
];
const DIGITS = /^\d+$/;
const SCOPE_DATE = /^\d{8}$/;

/**
 * How Signature Version 2 is treated: `undefined` refuses it (the control plane), `false` refuses it
 * with how to configure S3 clients for SigV4 (the S3 plane by default), `true` parses it (`--sigv2 on`).
 */
export interface ParseOptions {
  sigV2?: boolean;
}

/** The fix for S3 clients that sign with SigV2, said in every S3 refusal of it. */
export const SIGV2_HELP =
  'Configure the client for Signature Version 4: AWS CLI `aws configure set default.s3.signature_version s3v4`; ' +
  'boto3 `Config(signature_version="s3v4")`; s3cmd `signature_v2 = False`. ' +
  '(An operator can accept SigV2 for legacy tools with `sailbucket serve --sigv2 on`.)';

export function parseAuthentication(req: SigningRequest): AuthHeaderInfo | AuthQueryInfo | AnonymousInfo;
export function parseAuthentication(
  req: SigningRequest,
  opts: ParseOptions,
): AuthHeaderInfo | AuthQueryInfo | AnonymousInfo | SigV2Info;
export function parseAuthentication(
  req: SigningRequest,
  opts: ParseOptions = {},
): AuthHeaderInfo | AuthQueryInfo | AnonymousInfo | SigV2Info {
  const authorization = firstHeader(req.headers, 'authorization');
  const params = authQueryParams(req.query);
  const presigned =
    params !== undefined &&
    (params.has('X-Amz-Algorithm') || params.has('X-Amz-Credential') || params.has('X-Amz-Signature'));
  const sigV2Query = params !== undefined && params.has('AWSAccessKeyId');
  if (authorization !== undefined) {
    if (presigned || sigV2Query) {
      throw new SigV4Error(
        'AmbiguousAuthentication',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      );
    }
    if (opts.sigV2 === true) {
      const v2 = parseSigV2Header(authorization);
      if (v2 !== undefined) return v2;
    }
    return parseHeaderAuth(req, authorization, opts);
  }
  if (presigned) return parseQueryAuth(req, params);
  if (sigV2Query) {
    if (opts.sigV2 === true) return parseSigV2Query(params);
    throw new SigV4Error(
      'UnsupportedAlgorithm',
      'Query-string authentication with AWSAccessKeyId (Signature Version 2) is not supported. Please use AWS4-HMAC-SHA256.' +
        (opts.sigV2 === false ? ' ' + SIGV2_HELP : ''),
      { authKind: 'query' },
    );
  }
  return { kind: 'anonymous' };
}

/** The auth-related query parameters, decoded; undefined when the query holds none. */
function authQueryParams(query: string): Map<QueryAuthParam, string> | undefined {
  if (query === '' || (query.indexOf('X-Amz-') < 0 && query.indexOf('AWSAccessKeyId') < 0)) return undefined;
  let found: Map<QueryAuthParam, string> | undefined;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    let name = eq < 0 ? part : part.slice(0, eq);
    // smithy hoists the header under its own spelling; accept x-amz-content-sha256 in any case
    if (name.length === 20 && name.toLowerCase() === 'x-amz-content-sha256') name = 'X-Amz-Content-Sha256';
    if (!QUERY_AUTH_SET.has(name)) continue;
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (value === undefined) {
      throw new SigV4Error(
        'AuthorizationQueryParametersError',
        `Query parameter ${name} is not valid percent-encoding`,
        { authKind: 'query' },
      );
    }
    found ??= new Map();
    if (found.has(name as QueryAuthParam)) {
      throw new SigV4Error('AuthorizationQueryParametersError', `Query parameter ${name} is given more than once`, {
        authKind: 'query',
      });
    }
    found.set(name as QueryAuthParam, value);
  }
  return found;
}

function parseHeaderAuth(req: SigningRequest, authorization: string, opts: ParseOptions): AuthHeaderInfo {
  const kind = 'header' as const;
  const space = authorization.indexOf(' ');
  const scheme = space < 0 ? authorization : authorization.slice(0, space);
  if (scheme !== ALGORITHM) {
    if (scheme === 'AWS') {
      throw new SigV4Error(
        'UnsupportedAlgorithm',
        'The authorization mechanism you have provided (AWS Signature Version 2, "AWS AccessKeyId:Signature") is not supported. Please use AWS4-HMAC-SHA256.' +
          (opts.sigV2 === false ? ' ' + SIGV2_HELP : ''),
        { authKind: kind },
      );
    }
    const shown = scheme.length > 40 ? scheme.slice(0, 40) + '...' : scheme;
    throw new SigV4Error(
      'UnsupportedAlgorithm',
      `Unsupported authorization type "${shown}". Please use AWS4-HMAC-SHA256.`,
      { authKind: kind },
    );
  }
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const rawPart of authorization.slice(space + 1).split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (key === 'Credential' && credential === undefined) credential = value;
    else if (key === 'SignedHeaders' && signedHeaders === undefined) signedHeaders = value;
    else if (key === 'Signature' && signature === undefined) signature = value;
    else {
      const shown = key.length > 40 ? key.slice(0, 40) + '...' : key;
      throw new SigV4Error(
        'IncompleteSignature',
        `Authorization header has an unexpected or repeated component '${shown}'; expected Credential, SignedHeaders and Signature`,
        { authKind: kind },
      );
    }
  }
  const missing: string[] = [];
  if (!credential) missing.push('Credential');
  if (!signedHeaders) missing.push('SignedHeaders');
  if (!signature) missing.push('Signature');
  if (missing.length > 0) {
    throw new SigV4Error(
      'IncompleteSignature',
      missing.map((m) => `Authorization header requires '${m}' parameter.`).join(' '),
      { authKind: kind },
    );
  }
  const { accessKeyId, scope } = parseCredential(credential!, 'IncompleteSignature', kind);
  const { amzDate, requestTime } = headerRequestTime(req);
  const payloadHash = firstHeader(req.headers, 'x-amz-content-sha256');
  const token = firstHeader(req.headers, 'x-amz-security-token');
  return {
    kind,
    accessKeyId,
    scope,
    signedHeaders: splitSignedHeaders(signedHeaders!),
    signedHeadersRaw: signedHeaders!,
    signature: signature!,
    amzDate,
    requestTime,
    payloadHash: payloadHash?.trim(),
    payloadHashExplicit: payloadHash !== undefined,
    ...(token !== undefined ? { securityToken: token } : {}),
  };
}

function headerRequestTime(req: SigningRequest): { amzDate: string; requestTime: Date } {
  const xAmzDate = firstHeader(req.headers, 'x-amz-date');
  if (xAmzDate !== undefined) {
    const t = parseAmzDate(xAmzDate.trim());
    if (!t)
      throw new SigV4Error(
        'InvalidRequestDate',
        `x-amz-date '${xAmzDate.slice(0, 40)}' is not in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'`,
        { authKind: 'header' },
      );
    return t;
  }
  const date = firstHeader(req.headers, 'date');
  if (date !== undefined) {
    const t = parseHttpDate(date);
    if (!t)
      throw new SigV4Error('InvalidRequestDate', `Date header '${date.slice(0, 40)}' is not a valid HTTP date`, {
        authKind: 'header',
      });
    return t;
  }
  throw new SigV4Error(
    'InvalidRequestDate',
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    { authKind: 'header' },
  );
}

function parseQueryAuth(req: SigningRequest, p: Map<QueryAuthParam, string>): AuthQueryInfo {
  const kind = 'query' as const;
  if (!REQUIRED_QUERY_PARAMS.every((n) => p.get(n))) {
    const missing = REQUIRED_QUERY_PARAMS.filter((n) => !p.get(n));
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      `Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; missing: ${missing.join(', ')}`,
      { authKind: kind },
    );
  }
  const algorithm = p.get('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256", not "${algorithm.slice(0, 40)}"`,
      { authKind: kind },
    );
  }
  const { accessKeyId, scope } = parseCredential(p.get('X-Amz-Credential')!, 'AuthorizationQueryParametersError', kind);
  const time = parseAmzDate(p.get('X-Amz-Date')!);
  if (!time) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      `X-Amz-Date '${p.get('X-Amz-Date')!.slice(0, 40)}' must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`,
      { authKind: kind },
    );
  }
  const expiresText = p.get('X-Amz-Expires')!;
  const expires = DIGITS.test(expiresText) && expiresText.length <= 7 ? Number(expiresText) : NaN;
  if (!(expires >= 1 && expires <= MAX_PRESIGNED_EXPIRES)) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      `X-Amz-Expires must be a whole number of seconds from 1 to 604800 (a week), got '${expiresText.slice(0, 20)}'`,
      { authKind: kind },
    );
  }
  const signedHeadersRaw = p.get('X-Amz-SignedHeaders')!;
  const claim = p.get('X-Amz-Content-Sha256') ?? firstHeader(req.headers, 'x-amz-content-sha256');
  const token = p.get('X-Amz-Security-Token');
  return {
    kind,
    accessKeyId,
    scope,
    signedHeaders: splitSignedHeaders(signedHeadersRaw),
    signedHeadersRaw,
    signature: p.get('X-Amz-Signature')!,
    amzDate: time.amzDate,
    requestTime: time.requestTime,
    expiresSeconds: expires,
    payloadHash: claim?.trim() ?? 'UNSIGNED-PAYLOAD',
    payloadHashExplicit: claim !== undefined,
    ...(token !== undefined ? { securityToken: token } : {}),
  };
}

function splitSignedHeaders(raw: string): string[] {
  return raw.split(';').map((h) => h.trim().toLowerCase());
}

function parseCredential(
  credential: string,
  malformed: 'IncompleteSignature' | 'AuthorizationQueryParametersError',
  kind: 'header' | 'query',
): { accessKeyId: string; scope: CredentialScope } {
  const parts = credential.split('/');
  const shown = credential.length > 200 ? credential.slice(0, 200) + '...' : credential;
  if (parts.length !== 5 || parts.some((x) => x === '')) {
    throw new SigV4Error(
      malformed,
      `The Credential '${shown}' is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
      { authKind: kind },
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (!SCOPE_DATE.test(date)) {
    throw new SigV4Error(malformed, `The Credential date '${date}' is not of the form YYYYMMDD.`, { authKind: kind });
  }
  if (terminator !== 'aws4_request') {
    throw new SigV4Error(
      'ScopeMismatch',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
      { authKind: kind },
    );
  }
  return { accessKeyId, scope: { date, region, service } };
}
