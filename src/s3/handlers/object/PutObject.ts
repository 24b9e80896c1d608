/** PutObject: a small body (declared length ≤ MAX_INLINE_BYTES) goes inline with the row, a larger one streams into a blob, then the row commits (S3 semantics in ObjectService). */
import { MAX_INLINE_BYTES } from '../../../domain/objects/limits.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { quoteEtag, setExpirationHeader, setWriteVersionHeader } from './objectResponseHeaders.js';
import { readWriteAttributes } from './writeHeaders.js';
import {
  checkAclAllowed,
  checkDeclaredLength,
  echoChecksum,
  MAX_SINGLE_PUT,
  verifiedFacts,
  withDefaultChecksum,
  writeConditions,
} from './writeRequest.js';

export const putObject: S3Handler<ObjectCall> = async (call, reply) => {
  const declaredLength = checkDeclaredLength(call, MAX_SINGLE_PUT, 'PutObject');
  const attrs = readWriteAttributes(call.headers);
  checkAclAllowed(call, attrs.acl);
  withDefaultChecksum(call);
  // A small body sent as is skips the stream chain: read into one Buffer, verified at once.
  const body = call.body.whole(MAX_INLINE_BYTES) ?? call.body.stream;
  const result = await call.services.objects.putObject(call.bucket, call.key, body, {
    ...attrs,
    ...writeConditions(call),
    verified: verifiedFacts(call),
    declaredLength,
  });
  reply.header('ETag', quoteEtag(result.etag));
  echoChecksum(reply, result.checksum);
  setWriteVersionHeader(reply, call.bucket, result.versionId);
  setExpirationHeader(reply, call.services.lifecycle, call.bucket, {
    key: call.key,
    size: result.size,
    tags: attrs.tags ?? [],
    lastModified: result.lastModified,
  });
  reply.empty(200);
};
