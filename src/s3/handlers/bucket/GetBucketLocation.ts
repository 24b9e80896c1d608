/** GetBucketLocation: the bucket's region; empty for us-east-1, as S3 answers. */
import type { BucketCall, S3Handler } from '../../types.js';
import { xmlTextDocument } from '../../xml.js';

export const getBucketLocation: S3Handler<BucketCall> = async (call, reply) => {
  const region = call.bucket.region;
  reply.xml(xmlTextDocument('LocationConstraint', region === 'us-east-1' ? '' : region));
};
