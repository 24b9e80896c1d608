/**
 * DeleteBucket (root of the bucket's account only; the operation table refuses keys): empty
 * buckets only. A bucket with objects or versions is BucketNotEmpty (unfinished uploads are
 * aborted with the bucket, as S3 does); one that
 * still has access keys is refused the same way, naming the keys (the control plane deletes them).
 */
import { BucketReasons } from '../../../domain/buckets/buckets.js';
import { DomainError } from '../../../domain/errors.js';
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';

export const deleteBucket: S3Handler<BucketCall> = async (call, reply) => {
  const b = call.bucket;
  try {
    // As S3 for general purpose buckets: unfinished multipart uploads do not keep a bucket; they are
    // aborted with it (only directory buckets need them aborted first).
    await call.services.buckets.delete({ accountId: b.accountId, region: b.region }, b.name, { abortUploads: true });
  } catch (err) {
    if (
      err instanceof DomainError &&
      (err.details.reason === BucketReasons.notEmpty || err.details.reason === BucketReasons.hasAccessKeys)
    ) {
      throw new S3Error('BucketNotEmpty', err.message, { BucketName: b.name });
    }
    throw err;
  }
  reply.empty(204);
};
