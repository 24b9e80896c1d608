/**
 * CompleteMultipartUpload: the XML part list (ascending, ETags matching, all but the last ≥5 MiB)
 * becomes the object, whose segments are the parts' blobs (no copy). ETag "<md5 of md5s>-<n>".
 */
import type { ObjectCall, S3Handler } from '../../types.js';
import { readBoundedBody } from '../../xml.js';
import { setVersionHeader } from '../object/objectResponseHeaders.js';
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

export const completeMultipartUpload: S3Handler<ObjectCall> = async (call, reply) => {
  const uploadId = uploadIdOf(call);
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
  );
  setVersionHeader(reply, call.bucket, r.versionId);
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
