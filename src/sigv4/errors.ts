/**
 * SigV4 errors, protocol-neutral. Each plane maps `code` to its own wire error at its edge
 * (`s3ErrorFor` in src/s3/errors.ts, `src/control/authenticate.ts` for the control plane).
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
  | 'InvalidChecksumHeaders' // several checksum headers, a value that is no digest, unknown trailer, conflicting algorithm
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
