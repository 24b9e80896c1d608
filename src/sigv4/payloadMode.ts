/** What x-amz-content-sha256 says about the body, and what goes on the canonical request's last line. */
import { SigV4Error } from './errors.js';
import type { PayloadMode, SignedAuthInfo } from './types.js';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const STREAMING_MODES: ReadonlySet<string> = new Set([
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
]);

export interface ResolvedPayload {
  canonicalHash: string;
  mode: PayloadMode;
  /** lowercase hex, for mode 'SHA256' */
  sha256?: string;
}

export function resolvePayloadMode(auth: SignedAuthInfo, service: string, bodySha256?: string): ResolvedPayload {
  let claim = auth.payloadHash;
  if (!auth.payloadHashExplicit && service !== 's3' && bodySha256 !== undefined) claim = bodySha256;
  if (claim === undefined) {
    if (service === 's3') {
      throw new SigV4Error('MissingPayloadHash', 'Missing required header for this request: x-amz-content-sha256', {
        authKind: auth.kind,
      });
    }
    throw new SigV4Error(
      'InvalidPayloadMode',
      `The request carries no x-amz-content-sha256 and the caller passed no body hash to verify a '${service}' signature against`,
      { authKind: auth.kind },
    );
  }
  if (claim === 'UNSIGNED-PAYLOAD') return { canonicalHash: claim, mode: 'UNSIGNED-PAYLOAD' };
  if (HEX_SHA256.test(claim)) return { canonicalHash: claim, mode: 'SHA256', sha256: claim.toLowerCase() };
  if (STREAMING_MODES.has(claim)) {
    if (auth.kind === 'query') {
      throw new SigV4Error(
        'InvalidPayloadMode',
        `x-amz-content-sha256 '${claim}' cannot be used with a presigned URL`,
        { authKind: 'query' },
      );
    }
    return { canonicalHash: claim, mode: claim as PayloadMode };
  }
  const shown = claim.length > 80 ? claim.slice(0, 80) + '...' : claim;
  throw new SigV4Error(
    'InvalidPayloadMode',
    `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a hex SHA-256, not '${shown}'`,
    { authKind: auth.kind },
  );
}
