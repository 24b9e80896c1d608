import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../domain/keys/principals.js';
import { listRegions } from '../domain/regions.js';
import { SigV4Error, type SigV4ErrorCode } from '../sigv4/errors.js';
import { parseAuthentication } from '../sigv4/parseAuthentication.js';
import type { SigningRequest } from '../sigv4/types.js';
import { verifySignature } from '../sigv4/verifySignature.js';
import type { ControlPlaneDeps } from './deps.js';
import { ControlPlaneError, type ControlExceptionName } from './errors.js';

/**
 * SigV4 failure codes → the control plane's wire exceptions (the table in docs/compat/sigv4.md).
 * Malformed or missing signing information is IncompleteSignatureException; a signature, time,
 * scope or payload that does not check out is InvalidSignatureException, as AWS JSON services
 * answer ("Credential should be scoped to correct service: 'lightsail'"). The codes the table
 * marks S3-only cannot arise for service `lightsail`; they map to InvalidSignatureException.
 */
export const SIGV4_EXCEPTIONS: Readonly<Record<SigV4ErrorCode, ControlExceptionName>> = {
  MissingAuthentication: 'MissingAuthenticationTokenException',
  AmbiguousAuthentication: 'IncompleteSignatureException',
  IncompleteSignature: 'IncompleteSignatureException',
  AuthorizationQueryParametersError: 'IncompleteSignatureException',
  UnsupportedAlgorithm: 'IncompleteSignatureException',
  InvalidRequestDate: 'IncompleteSignatureException',
  SignatureMismatch: 'InvalidSignatureException',
  RequestTimeTooSkewed: 'InvalidSignatureException',
  RequestExpired: 'InvalidSignatureException',
  RequestNotYetValid: 'InvalidSignatureException',
  ScopeMismatch: 'InvalidSignatureException',
  InvalidPayloadMode: 'InvalidSignatureException',
  PayloadHashMismatch: 'InvalidSignatureException',
  // S3 only (not raised for service 'lightsail'):
  UnsignedHeaders: 'InvalidSignatureException',
  MissingPayloadHash: 'InvalidSignatureException',
  MissingDecodedContentLength: 'InvalidSignatureException',
  ChunkSignatureMismatch: 'InvalidSignatureException',
  IncompleteBody: 'InvalidSignatureException',
  InvalidChunk: 'InvalidSignatureException',
  BadDigest: 'InvalidSignatureException',
  InvalidDigest: 'InvalidSignatureException',
  InvalidChecksumHeaders: 'InvalidSignatureException',
  InvalidTrailer: 'InvalidSignatureException',
};

/** The control-plane error answered for a SigV4 failure. */
export function wireError(e: SigV4Error): ControlPlaneError {
  const exception = SIGV4_EXCEPTIONS[e.code];
  if (e.code === 'RequestTimeTooSkewed' || e.code === 'RequestExpired') {
    return new ControlPlaneError(exception, `Signature expired: ${e.message}`);
  }
  if (e.code === 'SignatureMismatch') {
    return new ControlPlaneError(
      exception,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return new ControlPlaneError(exception, e.message);
}

const LIGHTSAIL_REGIONS: ReadonlySet<string> = new Set(listRegions().map((r) => r.name));

export interface Authenticated {
  principal: Extract<Principal, { kind: 'root' }>;
  /** The region of the credential scope (the request's region). */
  region: string;
}

/**
 * Verifies the request's SigV4 signature (service `lightsail`) over the exact body received and
 * admits only the account root credentials: a bucket access key is AccessDeniedException.
 */
export async function authenticateRoot(
  req: IncomingMessage,
  body: Buffer,
  deps: ControlPlaneDeps,
  /** Told the access key id the request was signed with, before it is checked (the access log). */
  facts?: { accessKeyId?: string },
): Promise<Authenticated> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const sreq: SigningRequest = {
    method: req.method ?? 'POST',
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? '' : url.slice(q + 1),
    // headersDistinct keeps repeated headers apart, so SigV4 joins them with ',' as the client
    // signed them (req.headers would join them with ', ' and break the signature).
    headers: req.headersDistinct,
  };
  try {
    const auth = parseAuthentication(sreq);
    if (auth.kind === 'anonymous') {
      throw new ControlPlaneError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }
    if (facts) facts.accessKeyId = auth.accessKeyId;
    const credential = await deps.credentials.resolve(auth.accessKeyId);
    if (!credential || credential.status !== 'Active') {
      throw new ControlPlaneError(
        'UnrecognizedClientException',
        `The security token included in the request is invalid: access key id '${auth.accessKeyId}' is not recognized`,
      );
    }
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const verified = verifySignature(sreq, auth, credential.secretAccessKey, {
      // The allowed clock skew is SigV4's one DEFAULT_MAX_SKEW_MS (15 minutes), as for S3.
      now: new Date(deps.clock()),
      service: 'lightsail',
      keyCache: deps.keyCache,
      payloadSha256: bodySha256,
    });
    // The signature covers the payload hash; the body received must be the body signed.
    if (verified.payloadMode !== 'SHA256' || verified.payloadSha256 !== bodySha256) {
      throw new ControlPlaneError(
        'InvalidSignatureException',
        verified.payloadMode !== 'SHA256'
          ? `Payload mode '${verified.payloadMode}' is not accepted by the control plane: sign the SHA-256 of the body`
          : 'The SHA-256 of the request body does not match the payload hash that was signed',
      );
    }
    if (credential.principal.kind !== 'root') {
      throw new ControlPlaneError(
        'AccessDeniedException',
        `Access key '${auth.accessKeyId}' is a bucket access key: it may only be used with the S3 API of bucket '${credential.principal.bucketName}', not with Lightsail operations`,
      );
    }
    if (!LIGHTSAIL_REGIONS.has(auth.scope.region)) {
      throw new ControlPlaneError(
        'InvalidSignatureException',
        `Credential should be scoped to a valid Lightsail region, not '${auth.scope.region}'`,
      );
    }
    return { principal: credential.principal, region: auth.scope.region };
  } catch (e) {
    if (e instanceof SigV4Error) throw wireError(e);
    throw e;
  }
}
