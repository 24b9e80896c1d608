import type { BucketRecord } from '../../domain/ports/records.js';
import type { Bucket, RegionName } from '../../generated/lightsail.js';

export interface BucketViewEnv {
  /** The bucket's S3 URL on this server. */
  bucketUrl(name: string): string;
  /** Whether the bucket may change its bundle now (the domain's rule). */
  ableToUpdateBundle(b: BucketRecord): boolean;
}

export interface BucketViewOptions {
  /** Include `cors` (GetBuckets with includeCors, or an UpdateBucket that just set it). */
  includeCors?: boolean;
}

export const bucketArn = (b: BucketRecord): string => `arn:aws:lightsail:${b.region}:${b.accountId}:Bucket/${b.id}`;

/** A Lightsail `Bucket` with every field the spec lists (times stay epoch ms until serialization). */
export function bucketView(b: BucketRecord, env: BucketViewEnv, opts: BucketViewOptions = {}): Bucket {
  const view: Required<Omit<Bucket, 'cors'>> & Pick<Bucket, 'cors'> = {
    resourceType: 'Bucket',
    accessRules: { getObject: b.accessRules.getObject, allowPublicOverrides: b.accessRules.allowPublicOverrides },
    arn: bucketArn(b),
    bundleId: b.bundleId,
    createdAt: b.createdAt,
    url: env.bucketUrl(b.name),
    location: { availabilityZone: 'all', regionName: b.region as RegionName },
    name: b.name,
    supportCode: `${b.accountId}/${b.name}`,
    tags: b.tags.map((t) => ({ key: t.key, value: t.value })),
    objectVersioning: b.objectVersioning,
    ableToUpdateBundle: env.ableToUpdateBundle(b),
    readonlyAccessAccounts: [...b.readonlyAccessAccounts],
    resourcesReceivingAccess: [],
    state: { code: 'OK' },
    accessLogConfig: { ...b.accessLogConfig },
  };
  if (opts.includeCors) view.cors = { rules: b.cors.map((r) => ({ ...r })) };
  return view;
}
