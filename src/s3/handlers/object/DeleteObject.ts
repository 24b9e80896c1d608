/** DeleteObject: 204 whether or not the key existed; a delete marker when versioning is on. */
import type { ObjectCall, S3Handler } from '../../types.js';
import { versionIdOf } from './writeRequest.js';

export const deleteObject: S3Handler<ObjectCall> = async (call, reply) => {
  const versionId = versionIdOf(call);
  const r = await call.services.objects.deleteObject(
    call.bucket,
    call.key,
    versionId !== undefined ? { versionId } : {},
  );
  if (r.deleteMarker) reply.header('x-amz-delete-marker', 'true');
  if (r.versionId !== undefined) reply.header('x-amz-version-id', r.versionId);
  reply.empty(204);
};
