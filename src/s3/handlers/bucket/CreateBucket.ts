/**
 * CreateBucket (root only; the operation table refuses bucket keys): a Lightsail bucket with
 * bundle small_1_0 through the same BucketService as the control plane, in the server's region.
 */
import { BucketReasons } from '../../../domain/buckets/buckets.js';
import { DomainError } from '../../../domain/errors.js';
import { S3Error } from '../../errors.js';
import type { S3Call, S3Handler } from '../../types.js';
import { asText, readBoundedBody } from '../../xml.js';

export const S3_CREATE_BUCKET_BUNDLE = 'small_1_0';

async function locationConstraint(call: S3Call): Promise<string | undefined> {
  const doc = await readBoundedBody(call.body.stream);
  if (doc.length === 0) return undefined;
  const root = call.xml.parse(doc, 'CreateBucketConfiguration');
  return asText(root.LocationConstraint);
}

function mapCreateError(err: unknown, name: string): unknown {
  if (!(err instanceof DomainError)) return err;
  switch (err.details.reason) {
    case BucketReasons.nameTaken:
      return new S3Error('BucketAlreadyExists', err.message, { BucketName: name });
    case BucketReasons.ownedByYou:
      return new S3Error('BucketAlreadyOwnedByYou', err.message, { BucketName: name });
    case 'invalid_bucket_name':
      return new S3Error('InvalidBucketName', err.message, { BucketName: name });
    default:
      return err;
  }
}

export const createBucket: S3Handler = async (call, reply) => {
  const name = call.endpoint.bucket!;
  if (call.principal.kind !== 'root')
    throw new S3Error('AccessDenied', 'Access Denied: CreateBucket needs the account root credentials');
  const location = await locationConstraint(call);
  if (location !== undefined && location !== '' && location !== call.region) {
    throw new S3Error(
      'InvalidLocationConstraint',
      `The location constraint '${location}' is not this server's region '${call.region}'.`,
      { LocationConstraint: location },
    );
  }
  if (String(call.headers['x-amz-bucket-object-lock-enabled'] ?? '').toLowerCase() === 'true') {
    throw new S3Error(
      'InvalidRequest',
      'Object Lock is not supported by Sailbucket buckets (x-amz-bucket-object-lock-enabled: true).',
    );
  }
  try {
    await call.services.buckets.create(
      { accountId: call.principal.accountId, region: call.region },
      { bucketName: name, bundleId: S3_CREATE_BUCKET_BUNDLE },
    );
  } catch (err) {
    // S3's legacy rule: re-creating a bucket you already own in us-east-1 succeeds (200);
    // in every other region it is 409 BucketAlreadyOwnedByYou.
    const own = err instanceof DomainError && err.details.reason === BucketReasons.ownedByYou;
    if (!own || (await call.services.buckets.findByName(name))?.region !== 'us-east-1') throw mapCreateError(err, name);
  }
  reply.header('location', `/${name}`);
  reply.empty(200);
};
