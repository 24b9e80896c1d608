/** GetObjectAcl: the owner's FULL_CONTROL grant, plus AllUsers READ for public-read objects. */
import { ownerOf } from '../../owner.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { setVersionHeader } from './objectResponseHeaders.js';
import { aclDocument } from './objectXml.js';
import { versionIdOf } from './writeRequest.js';

export const getObjectAcl: S3Handler<ObjectCall> = async (call, reply) => {
  const r = await call.services.objects.getObjectAcl(call.bucket, call.key, versionIdOf(call));
  setVersionHeader(reply, call.bucket, r.versionId);
  reply.xml(aclDocument(ownerOf(call.bucket.accountId), r.acl));
};
