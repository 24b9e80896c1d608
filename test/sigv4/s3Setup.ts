/** A PUT signed by @smithy/signature-v4 (S3 style) and verified, ready for a body verifier. */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  parseAuthentication,
  verifySignature,
  type SignedAuthInfo,
  type SigningRequest,
  type VerifiedSignature,
} from '../../src/sigv4/index.js';
import { toSigningRequest, type SdkLikeRequest } from './sdkRequest.js';
import type { ChunkSigning } from './chunkedBodies.js';

export const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const signingDate = new Date('2026-11-29T12:00:00Z');
const signer = new SignatureV4({
  credentials,
  region: 'us-east-1',
  service: 's3',
  sha256: Sha256,
  uriEscapePath: false,
});

export async function signedPut(contentSha256: string, headers: Record<string, string> = {}) {
  const signed = (await signer.sign(
    {
      method: 'PUT',
      path: '/photos/big.bin',
      query: {},
      headers: { host: 'localhost:8080', 'x-amz-content-sha256': contentSha256, ...headers },
    } as never,
    { signingDate },
  )) as unknown as SdkLikeRequest;
  const req: SigningRequest = toSigningRequest(signed);
  const auth = parseAuthentication(req) as SignedAuthInfo;
  const v: VerifiedSignature = verifySignature(req, auth, credentials.secretAccessKey, {
    now: signingDate,
    service: 's3',
  });
  const signing: ChunkSigning = {
    secret: credentials.secretAccessKey,
    amzDate: auth.amzDate,
    region: 'us-east-1',
    service: 's3',
    seedSignature: auth.signature,
  };
  return { req, v, signing };
}
