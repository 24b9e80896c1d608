/** GetBucketVersioning: Status Enabled/Suspended; no Status when versioning was never enabled. */
import type { BucketCall, S3Handler } from '../../types.js';
import { XmlWriter } from '../../xml.js';

export const getBucketVersioning: S3Handler<BucketCall> = async (call, reply) => {
  const v = call.bucket.objectVersioning;
  reply.xml(new XmlWriter('VersioningConfiguration').elem('Status', v === 'NeverEnabled' ? undefined : v).done());
};
