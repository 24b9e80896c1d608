/** UploadPart: the verified body becomes the part's own blob; ETag is the part's MD5. */
import { OBJECT_LIMITS } from '../../../domain/objects/limits.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { quoteEtag } from '../object/objectResponseHeaders.js';
import { checkDeclaredLength, echoChecksum, verifiedFacts, withDefaultChecksum } from '../object/writeRequest.js';
import { partNumberOf, uploadIdOf } from './uploadParams.js';

export const uploadPart: S3Handler<ObjectCall> = async (call, reply) => {
  const uploadId = uploadIdOf(call);
  const partNumber = partNumberOf(call);
  checkDeclaredLength(call, OBJECT_LIMITS.maxPartBytes, `part ${partNumber}`);
  withDefaultChecksum(call);
  const r = await call.services.multipart.uploadPart(call.bucket, call.key, uploadId, partNumber, call.body.stream, {
    verified: verifiedFacts(call),
  });
  reply.header('ETag', quoteEtag(r.etag));
  echoChecksum(reply, r.checksum);
  reply.empty(200);
};
