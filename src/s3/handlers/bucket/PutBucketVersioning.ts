/**
 * PutBucketVersioning (root only, by the operation table): Enabled or Suspended, through the
 * same BucketService.update as the control plane's UpdateBucket (which also turns public
 * overrides off when versioning changes, as Lightsail does). MFA delete is not supported.
 */
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { asText, readBoundedBody } from '../../xml.js';

export const putBucketVersioning: S3Handler<BucketCall> = async (call, reply) => {
  const root = call.xml.parse(await readBoundedBody(call.body.stream), 'VersioningConfiguration');
  const status = asText(root.Status);
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw new S3Error(
      'MalformedXML',
      `VersioningConfiguration Status must be Enabled or Suspended (got '${status ?? ''}').`,
    );
  }
  const mfa = asText(root.MfaDelete);
  if (mfa !== undefined && mfa !== 'Disabled') {
    throw new S3Error('NotImplemented', `MfaDelete '${mfa}' is not supported by Sailbucket.`);
  }
  const b = call.bucket;
  await call.services.buckets.update({ accountId: b.accountId, region: b.region }, b.name, { versioning: status });
  reply.empty(200);
};
