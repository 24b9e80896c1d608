/**
 * GetBucketTagging / PutBucketTagging / DeleteBucketTagging (account root only, by the operation
 * table): a Lightsail bucket's tags are its S3 bucket tags, so `aws lightsail tag-resource` and
 * `aws s3api put-bucket-tagging` read and write the same set. PutBucketTagging replaces the whole
 * set and, like S3, must carry Content-MD5 or an x-amz-checksum-* value; Lightsail's tag rules
 * apply (at most 50 tags, key 1–128 characters, value up to 256, no key twice).
 */
import { DomainError } from '../../../domain/errors.js';
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { readBoundedBody } from '../../xml.js';
import { taggingDocument } from '../object/objectXml.js';
import { parseTagging } from '../object/taggingRequest.js';
import { hasIntegrityHeader } from './DeleteObjects.js';

export const getBucketTagging: S3Handler<BucketCall> = async (call, reply) => {
  const tags = call.bucket.tags;
  if (tags.length === 0)
    throw new S3Error('NoSuchTagSet', `The TagSet does not exist: bucket '${call.bucket.name}' has no tags.`);
  reply.xml(taggingDocument(tags));
};

export const putBucketTagging: S3Handler<BucketCall> = async (call, reply) => {
  if (!hasIntegrityHeader(call.headers)) {
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 or x-amz-checksum-* (PutBucketTagging must carry an integrity check).',
    );
  }
  // Lightsail's limits are checked by the domain (BucketService.replaceTags), not the object's 10.
  const tags = parseTagging(call.xml, await readBoundedBody(call.body.stream), () => undefined);
  const b = call.bucket;
  try {
    await call.services.buckets.replaceTags({ accountId: b.accountId, region: b.region }, b.name, tags);
  } catch (err) {
    // Lightsail's tag rules, refused as S3 refuses a bad tag set.
    const reason = err instanceof DomainError ? err.details.reason : undefined;
    if (reason === 'invalid_tag' || reason === 'too_many_tags') throw new S3Error('InvalidTag', (err as Error).message);
    throw err;
  }
  reply.empty(204);
};

export const deleteBucketTagging: S3Handler<BucketCall> = async (call, reply) => {
  const b = call.bucket;
  await call.services.buckets.replaceTags({ accountId: b.accountId, region: b.region }, b.name, []);
  reply.empty(204);
};
