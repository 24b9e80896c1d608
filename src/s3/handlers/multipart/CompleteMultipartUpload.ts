/**
 * CompleteMultipartUpload: the XML part list (ascending, ETags matching, all but the last ≥5 MiB)
 * becomes the object, whose segments are the parts' blobs (no copy). ETag "<md5 of md5s>-<n>".
 */
import type { ExpectedChecksum } from '../../../domain/multipart/multipart.js';
import { CHECKSUM_ALGORITHMS, checksumHeaderName, decodeDigestValue } from '../../../crypto/checksums.js';
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { readBoundedBody } from '../../xml.js';
import { setExpirationHeader, setWriteVersionHeader } from '../object/objectResponseHeaders.js';
import { headerValue } from '../object/writeHeaders.js';
import { writeConditions } from '../object/writeRequest.js';
import { parseCompleteRequest } from './completeRequest.js';
import { completeResult } from './multipartXml.js';
import { uploadIdOf } from './uploadParams.js';

/** Path-style URL of the object as this request reached the server. */
function locationOf(call: ObjectCall): string {
  const host = headerValue(call.headers, 'host') ?? '127.0.0.1';
  const key = encodeURIComponent(call.key).replaceAll('%2F', '/');
  return `http://${host}/${encodeURIComponent(call.bucket.name)}/${key}`;
}

/**
 * The whole-object checksum the client sent (`x-amz-checksum-<alg>`), plain or composite (`…-N`):
 * compared with the object's, never with the XML body's.
 */
function expectedChecksum(call: ObjectCall): ExpectedChecksum | undefined {
  let found: ExpectedChecksum | undefined;
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = headerValue(call.headers, checksumHeaderName(algorithm));
    if (value === undefined) continue;
    if (found !== undefined)
      throw new S3Error(
        'InvalidRequest',
        'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
      );
    const dash = value.lastIndexOf('-');
    const digest = dash > 0 && /^-\d{1,5}$/.test(value.slice(dash)) ? value.slice(0, dash) : value;
    if (decodeDigestValue(algorithm, digest) === undefined)
      // As S3 answers a checksum header that is no digest (ceph/s3-tests#644).
      throw new S3Error(
        'InvalidRequest',
        `Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid: '${value.slice(0, 80)}' is not a base64 ${algorithm} value, optionally followed by -<part count>.`,
      );
    found = { algorithm, value };
  }
  return found;
}

export const completeMultipartUpload: S3Handler<ObjectCall> = async (call, reply) => {
  const uploadId = uploadIdOf(call);
  const expected = expectedChecksum(call);
  call.body.checksumHeadersDescribeObject();
  const parts = parseCompleteRequest(call.xml, await readBoundedBody(call.body.stream)).map((p) => {
    const checksum = Object.values(p.checksums)[0];
    return { partNumber: p.partNumber, etag: p.etag, ...(checksum !== undefined ? { checksum } : {}) };
  });
  const r = await call.services.multipart.completeMultipartUpload(
    call.bucket,
    call.key,
    uploadId,
    parts,
    writeConditions(call),
    expected,
  );
  setWriteVersionHeader(reply, call.bucket, r.versionId);
  setExpirationHeader(reply, call.services.lifecycle, call.bucket, { key: call.key, ...r });
  reply.xml(
    completeResult({
      location: locationOf(call),
      bucket: call.bucket.name,
      key: call.key,
      etag: r.etag,
      ...(r.checksum ? { checksum: r.checksum } : {}),
    }),
  );
};
