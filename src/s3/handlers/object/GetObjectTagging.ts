/** GetObjectTagging: the object's tag set. */
import type { ObjectCall, S3Handler } from '../../types.js';
import { setVersionHeader } from './objectResponseHeaders.js';
import { taggingDocument } from './objectXml.js';
import { versionIdOf } from './writeRequest.js';

export const getObjectTagging: S3Handler<ObjectCall> = async (call, reply) => {
  const r = await call.services.objects.getObjectTagging(call.bucket, call.key, versionIdOf(call));
  setVersionHeader(reply, call.bucket, r.versionId);
  reply.xml(taggingDocument(r.tags));
};
