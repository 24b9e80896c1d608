/**
 * SigV4 errors, protocol-neutral. Each plane maps `code` to its own wire error; the S3 mapping
 * lives here (`s3ErrorFor`) because S3 is the main user.
 */
export type SigV4ErrorCode =
  | 'MissingAuthentication' // no Authorization header and no presigned query at all
  | 'AmbiguousAuthentication' // both an Authorization header and a presigned query
  | 'IncompleteSignature' // malformed Authorization header, missing parts
  | 'AuthorizationQueryParametersError' // malformed presigned query
  | 'UnsupportedAlgorithm' // SigV2, SigV4a or an unknown scheme
  | 'InvalidRequestDate' // header auth without a valid x-amz-date / Date header
  | 'SignatureMismatch'
  | 'UnsignedHeaders' // S3: x-amz-* headers present but not signed
  | 'RequestTimeTooSkewed'
  | 'RequestExpired' // presigned URL past X-Amz-Date + X-Amz-Expires
  | 'RequestNotYetValid' // presigned URL dated in the future
  | 'ScopeMismatch' // credential scope date/service/region/terminator wrong
  | 'MissingPayloadHash' // S3 header auth without x-amz-content-sha256
  | 'InvalidPayloadMode' // x-amz-content-sha256 is not a mode we know or a hex SHA-256
  | 'MissingDecodedContentLength' // aws-chunked without x-amz-decoded-content-length
  | 'PayloadHashMismatch'
  | 'ChunkSignatureMismatch'
  | 'IncompleteBody'
  | 'InvalidChunk'
  | 'BadDigest'
  | 'InvalidDigest'
  | 'InvalidChecksumHeaders' // several checksum headers, unknown trailer, conflicting algorithm
  | 'InvalidTrailer';

export type AuthKind = 'header' | 'query';

export interface SigV4ErrorDetails {
  /** Which auth mechanism was being processed, when known (S3 words scope errors differently). */
  authKind?: AuthKind;
  /** On SignatureMismatch: what we signed (never secret), for S3's <CanonicalRequest>/<StringToSign>. */
  canonicalRequest?: string;
  stringToSign?: string;
  /** On UnsignedHeaders: the offending header names. */
  headersNotSigned?: string[];
  /** On RequestTimeTooSkewed / RequestExpired: the times involved (ISO 8601). */
  requestTime?: string;
  serverTime?: string;
  expiresAt?: string;
}

export class SigV4Error extends Error {
  override readonly name = 'SigV4Error';
  constructor(
    readonly code: SigV4ErrorCode,
    message: string,
    readonly details: SigV4ErrorDetails = {},
  ) {
    super(message);
  }
}

export interface S3WireError {
  code: string;
  status: number;
}

const S3_ERRORS: Record<SigV4ErrorCode, S3WireError> = {
  MissingAuthentication: { code: 'AccessDenied', status: 403 },
  AmbiguousAuthentication: { code: 'InvalidArgument', status: 400 },
  IncompleteSignature: { code: 'AuthorizationHeaderMalformed', status: 400 },
  AuthorizationQueryParametersError: { code: 'AuthorizationQueryParametersError', status: 400 },
  UnsupportedAlgorithm: { code: 'InvalidRequest', status: 400 },
  InvalidRequestDate: { code: 'AccessDenied', status: 403 },
  SignatureMismatch: { code: 'SignatureDoesNotMatch', status: 403 },
  UnsignedHeaders: { code: 'AccessDenied', status: 403 },
  RequestTimeTooSkewed: { code: 'RequestTimeTooSkewed', status: 403 },
  RequestExpired: { code: 'AccessDenied', status: 403 },
  RequestNotYetValid: { code: 'AccessDenied', status: 403 },
  ScopeMismatch: { code: 'AuthorizationHeaderMalformed', status: 400 },
  MissingPayloadHash: { code: 'InvalidRequest', status: 400 },
  InvalidPayloadMode: { code: 'InvalidArgument', status: 400 },
  MissingDecodedContentLength: { code: 'MissingContentLength', status: 411 },
  PayloadHashMismatch: { code: 'XAmzContentSHA256Mismatch', status: 400 },
  ChunkSignatureMismatch: { code: 'SignatureDoesNotMatch', status: 403 },
  IncompleteBody: { code: 'IncompleteBody', status: 400 },
  InvalidChunk: { code: 'IncompleteBody', status: 400 },
  BadDigest: { code: 'BadDigest', status: 400 },
  InvalidDigest: { code: 'InvalidDigest', status: 400 },
  InvalidChecksumHeaders: { code: 'InvalidRequest', status: 400 },
  InvalidTrailer: { code: 'MalformedTrailerError', status: 400 },
};

/**
 * The S3 error code and HTTP status for a SigV4 error code. Scope errors on a presigned URL
 * are `AuthorizationQueryParametersError` rather than `AuthorizationHeaderMalformed`.
 */
export function s3ErrorFor(code: SigV4ErrorCode, authKind?: AuthKind): S3WireError {
  if (authKind === 'query' && (code === 'ScopeMismatch' || code === 'IncompleteSignature')) {
    return { code: 'AuthorizationQueryParametersError', status: 400 };
  }
  return S3_ERRORS[code];
}
