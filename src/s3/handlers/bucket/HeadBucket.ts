/** HeadBucket: 200 with the bucket's region when the caller may read it (authorization already decided). */
import type { BucketCall, S3Handler } from '../../types.js';

export const headBucket: S3Handler<BucketCall> = async (call, reply) => {
  reply.header('x-amz-bucket-region', call.bucket.region);
  reply.empty(200);
};
