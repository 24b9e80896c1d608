/** AbortMultipartUpload: removes the upload and frees its parts; 204. */
import type { ObjectCall, S3Handler } from '../../types.js';
import { uploadIdOf } from './uploadParams.js';

export const abortMultipartUpload: S3Handler<ObjectCall> = async (call, reply) => {
  await call.services.multipart.abortMultipartUpload(call.bucket, call.key, uploadIdOf(call));
  reply.empty(204);
};
