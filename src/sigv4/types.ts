/** Shapes shared by the SigV4 parser, verifier and body verifier. */

export type HeaderValue = string | string[] | undefined;
/** Lowercase header names; node's `req.headersDistinct` (exact multi-value signing) or `req.headers`. */
export type Headers = Record<string, HeaderValue>;

export interface SigningRequest {
  method: string;
  /** The raw path as received (`req.url` up to '?'), still percent-encoded, no query. */
  path: string;
  /** The raw query string without '?', still percent-encoded ('' when none). */
  query: string;
  headers: Headers;
}

export interface CredentialScope {
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

interface AuthCommon {
  accessKeyId: string;
  scope: CredentialScope;
  /** Signed header names in the order the client listed them (lowercase). */
  signedHeaders: string[];
  /** The SignedHeaders string exactly as sent (it goes into the canonical request verbatim). */
  signedHeadersRaw: string;
  /** Lowercase hex as sent (validated to be 64 hex characters only at compare time). */
  signature: string;
  /** Request time, as used in the string to sign: YYYYMMDD'T'HHMMSS'Z'. */
  amzDate: string;
  requestTime: Date;
  /**
   * The payload hash claim: x-amz-content-sha256 (header, or X-Amz-Content-Sha256 in a presigned
   * query). For presigned requests without a claim this is 'UNSIGNED-PAYLOAD'; for header auth
   * without a claim it is undefined.
   */
  payloadHash: string | undefined;
  /** True when payloadHash came from the request rather than a default. */
  payloadHashExplicit: boolean;
  securityToken?: string;
}

export interface AuthHeaderInfo extends AuthCommon {
  kind: 'header';
}

export interface AuthQueryInfo extends AuthCommon {
  kind: 'query';
  /** X-Amz-Expires, 1..604800 */
  expiresSeconds: number;
}

export interface AnonymousInfo {
  kind: 'anonymous';
}

export type SignedAuthInfo = AuthHeaderInfo | AuthQueryInfo;

export type PayloadMode =
  | 'UNSIGNED-PAYLOAD'
  | 'SHA256' // x-amz-content-sha256 is a hex digest of the body
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export interface VerifiedSignature {
  kind: 'header' | 'query';
  /** 2 for Signature Version 2 (`--sigv2 on`): no scope, signing key or chunk chain; absent for SigV4. */
  version?: 2;
  accessKeyId: string;
  scope: CredentialScope;
  /** `<date>/<region>/<service>/aws4_request` */
  scopeString: string;
  /** HMAC key derived for the scope; chunk and trailer signatures chain from it. */
  signingKey: Buffer;
  /** The request signature (lowercase hex): the first "previous signature" of a chunk chain. */
  seedSignature: string;
  payloadMode: PayloadMode;
  /** Lowercase hex SHA-256 the body must have, when payloadMode is 'SHA256'. */
  payloadSha256?: string;
  /** YYYYMMDD'T'HHMMSS'Z' */
  timestamp: string;
  requestTime: Date;
  /** Presigned requests only. */
  expiresAt?: Date;
  securityToken?: string;
}
