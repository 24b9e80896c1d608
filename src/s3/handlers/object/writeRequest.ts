/** Pieces PutObject, CopyObject, UploadPart and CreateMultipartUpload share. */
import type { BodyFacts } from '../../../domain/objects/write.js';
import { CHECKSUM_ALGORITHMS, checksumHeaderName } from '../../../crypto/checksums.js';
import type { ObjectChecksum } from '../../../domain/ports/objectRecords.js';
import { OBJECT_LIMITS } from '../../../domain/objects/limits.js';
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Call, S3Reply } from '../../types.js';
import type { CannedAcl } from '../../../domain/ports/objectRecords.js';
import { headerValue } from './writeHeaders.js';
import type { BodyVerification } from '../../../sigv4/bodyVerifier.js';

/**
 * The verified body's MD5 and checksum, once the stream ended cleanly. The promise is observed
 * here so that a body failing first (and the blob write rejecting) is never an unhandled rejection.
 */
export function verifiedFacts(call: S3Call): Promise<BodyFacts> {
  return bodyFacts(call.body.result());
}

/** What a verified body (any body verifier's result) gives the object: MD5 and checksum or the default one. */
export function bodyFacts(result: Promise<BodyVerification>): Promise<BodyFacts> {
  const p = result.then((r): BodyFacts => {
    if (r.checksum) return { md5: r.md5, checksum: r.checksum };
    // Like S3 since 2025: a body sent without a checksum gets the default CRC64NVME (see withDefaultChecksum).
    const d = r.checksums.find((c) => c.algorithm === DEFAULT_CHECKSUM);
    return d
      ? { md5: r.md5, checksum: { algorithm: d.algorithm, value: d.value, type: 'FULL_OBJECT' } }
      : { md5: r.md5 };
  });
  p.catch(() => undefined);
  return p;
}

/** The checksum S3 keeps for every new object written without one. */
const DEFAULT_CHECKSUM = 'CRC64NVME';

/**
 * Asks the body verifier to compute the default CRC64NVME while the body streams, so that an object
 * written without a checksum still gets one (PutObject, UploadPart). Call before touching the body.
 * A request that names a checksum keeps the client's (bodyFacts), so the default is not computed
 * for it: on `aws s3 cp`'s parts (CRC32) it was a quarter of the server's CPU, thrown away.
 */
export function withDefaultChecksum(call: S3Call): void {
  if (!namesChecksum(call.headers)) call.body.computeAlso([DEFAULT_CHECKSUM]);
}

/**
 * True when the body verifier will report a checksum the client named — an x-amz-checksum-<algorithm>
 * header, a checksum announced in x-amz-trailer, or x-amz-sdk-checksum-algorithm — or refuse the
 * request over it (a malformed value): either way the default is never used.
 */
export function namesChecksum(headers: S3Call['headers']): boolean {
  if (CHECKSUM_ALGORITHMS.some((a) => headerValue(headers, checksumHeaderName(a)) !== undefined)) return true;
  if (headerValue(headers, 'x-amz-sdk-checksum-algorithm') !== undefined) return true;
  const trailer = headerValue(headers, 'x-amz-trailer');
  return trailer !== undefined && trailer.split(',').some((n) => n.trim() !== '');
}

/** A body must declare its length (S3 has no chunked uploads without aws-chunked), within `max`. */
export function checkDeclaredLength(call: S3Call, max: number, what: string): number {
  const len = call.body.declaredLength;
  if (len === undefined) {
    throw new S3Error(
      'MissingContentLength',
      `You must provide the Content-Length HTTP header (or x-amz-decoded-content-length) for ${what}.`,
    );
  }
  if (len > max) {
    throw new S3Error(
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed size: ${len} bytes > ${max} bytes for ${what}.`,
      { ProposedSize: String(len), MaxSizeAllowed: String(max) },
    );
  }
  return len;
}

export const MAX_SINGLE_PUT = OBJECT_LIMITS.maxSinglePutBytes;

/**
 * A bucket access key may make an object public only where the bucket allows public overrides
 * (the spec's Authorization table); root may always set it.
 */
export function checkAclAllowed(call: BucketCall, acl: CannedAcl | undefined): void {
  if (acl !== 'public-read' || call.principal.kind !== 'bucketKey') return;
  if (!call.bucket.accessRules.allowPublicOverrides) {
    throw new S3Error(
      'AccessDenied',
      `Access Denied: bucket '${call.bucket.name}' does not allow public overrides, so a bucket access key cannot set the public-read ACL.`,
    );
  }
}

/** Echoes the stored checksum as PutObject/UploadPart do: x-amz-checksum-<alg> and its type. */
export function echoChecksum(
  reply: S3Reply,
  checksum: (Pick<ObjectChecksum, 'algorithm' | 'value'> & { type?: string }) | undefined,
): void {
  if (!checksum) return;
  reply.header(`x-amz-checksum-${checksum.algorithm.toLowerCase()}`, checksum.value);
  if (checksum.type) reply.header('x-amz-checksum-type', checksum.type);
}

/** Write conditions from If-None-Match / If-Match (PutObject, CopyObject, CompleteMultipartUpload). */
export function writeConditions(call: S3Call): { ifNoneMatch?: string; ifMatch?: string } {
  const out: { ifNoneMatch?: string; ifMatch?: string } = {};
  const inm = headerValue(call.headers, 'if-none-match');
  const im = headerValue(call.headers, 'if-match');
  if (inm !== undefined) out.ifNoneMatch = inm;
  if (im !== undefined) out.ifMatch = im;
  return out;
}

/** `versionId` query parameter: absent, or a non-empty id. */
export function versionIdOf(call: S3Call): string | undefined {
  const v = call.endpoint.query.get('versionId');
  if (v === undefined) return undefined;
  if (v === '')
    throw new S3Error('InvalidArgument', 'Version id cannot be the empty string (versionId query parameter).', {
      ArgumentName: 'versionId',
      ArgumentValue: '',
    });
  return v;
}
