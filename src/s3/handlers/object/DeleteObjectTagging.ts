/** DeleteObjectTagging: removes every tag; 204. */
import type { ObjectCall, S3Handler } from '../../types.js';
import { setVersionHeader } from './objectResponseHeaders.js';
import { versionIdOf } from './writeRequest.js';

export const deleteObjectTagging: S3Handler<ObjectCall> = async (call, reply) => {
  const r = await call.services.objects.deleteObjectTagging(call.bucket, call.key, versionIdOf(call));
  setVersionHeader(reply, call.bucket, r.versionId);
  reply.empty(204);
};
