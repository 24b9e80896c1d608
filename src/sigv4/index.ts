/** Pure SigV4: parse, verify, and check bodies. See docs/compat/sigv4.md. */
export { SigV4Error, type SigV4ErrorCode } from './errors.js';
export type { SigningRequest, SignedAuthInfo, PayloadMode, VerifiedSignature } from './types.js';
export { parseAuthentication } from './parseAuthentication.js';
export { verifySignature, type VerifyOptions } from './verifySignature.js';
export { SigningKeyCache, deriveSigningKey } from './signingKey.js';
export { canonicalRequestFor, stringToSignFor, scopeString, sha256Hex } from './canonicalRequest.js';
export { createBodyVerifier } from './bodyVerifier.js';
export * from '../crypto/checksums.js';
