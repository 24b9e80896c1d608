/** PutObjectTagging: replaces the object's tag set (≤10 tags). */
import type { ObjectCall, S3Handler } from '../../types.js';
import { readBoundedBody } from '../../xml.js';
import { setVersionHeader } from './objectResponseHeaders.js';
import { parseTagging } from './taggingRequest.js';
import { versionIdOf } from './writeRequest.js';

export const putObjectTagging: S3Handler<ObjectCall> = async (call, reply) => {
  const tags = parseTagging(call.xml, await readBoundedBody(call.body.stream));
  const r = await call.services.objects.putObjectTagging(call.bucket, call.key, tags, versionIdOf(call));
  setVersionHeader(reply, call.bucket, r.versionId);
  reply.empty(200);
};
