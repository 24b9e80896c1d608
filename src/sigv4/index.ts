/** Pure SigV4: parse, verify, and check bodies. See docs/compat/sigv4.md. */
export { SigV4Error, type SigV4ErrorCode, type SigV4ErrorDetails, type AuthKind } from './errors.js';
export type {
  SigningRequest,
  Headers,
  HeaderValue,
  CredentialScope,
  AuthHeaderInfo,
  AuthQueryInfo,
  AnonymousInfo,
  AuthenticationInfo,
  SignedAuthInfo,
  PayloadMode,
  VerifiedSignature,
} from './types.js';
export { parseAuthentication, ALGORITHM, MAX_PRESIGNED_EXPIRES } from './parseAuthentication.js';
export { verifySignature, DEFAULT_MAX_SKEW_MS, type VerifyOptions } from './verifySignature.js';
export { SigningKeyCache, deriveSigningKey } from './signingKey.js';
export { canonicalRequestFor, stringToSignFor, scopeString, sha256Hex, EMPTY_SHA256 } from './canonicalRequest.js';
export {
  createBodyVerifier,
  BodyVerifier,
  type BodyVerifierOptions,
  type BodyVerification,
  type ChecksumValue,
} from './bodyVerifier.js';
export { AwsChunkedDecoder, type ChunkSigningContext } from './awsChunkedDecoder.js';
export { isStreamingMode, isTrailerMode } from './payloadHeaders.js';
export * from '../crypto/checksums.js';
