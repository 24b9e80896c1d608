/**
 * GetBucketAcl and PutBucketAcl (root only). A Lightsail bucket has no ACL of its own: its access
 * rules decide. GetBucketAcl answers that truth: the owner's FULL_CONTROL, plus AllUsers READ when
 * the bucket's objects are public. PutBucketAcl accepts only the ACL the bucket already has (a
 * no-op: `private` on a private bucket, `public-read` on a public one), as a canned `x-amz-acl` or
 * an equivalent AccessControlPolicy; anything else is AccessControlListNotSupported, naming
 * `UpdateBucket --access-rules` as the way to change access.
 */
import type { CannedAcl } from '../../../domain/ports/objectRecords.js';
import { S3Error } from '../../errors.js';
import { ownerOf } from '../../owner.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { readBoundedBody } from '../../xml.js';
import { aclDocument } from '../object/objectXml.js';
import { aclFromPolicy, GRANT_HEADERS } from '../object/PutObjectAcl.js';
import { headerValue } from '../object/writeHeaders.js';

const bucketAcl = (call: BucketCall): CannedAcl =>
  call.bucket.accessRules.getObject === 'public' ? 'public-read' : 'private';

export const getBucketAcl: S3Handler<BucketCall> = (call, reply) => {
  reply.xml(aclDocument(ownerOf(call.bucket.accountId), bucketAcl(call)));
  return Promise.resolve();
};

export const putBucketAcl: S3Handler<BucketCall> = async (call, reply) => {
  const current = bucketAcl(call);
  const refuse = (asked: string) =>
    new S3Error(
      'AccessControlListNotSupported',
      `The bucket does not allow ACLs: '${call.bucket.name}' is ${current === 'private' ? 'private' : 'public (objects readable by everyone)'} by its access rules, so only the matching ACL (${current}) is accepted, as a no-op; ${asked} is not. Change access with the Lightsail UpdateBucket --access-rules.`,
    );
  for (const h of GRANT_HEADERS) if (headerValue(call.headers, h) !== undefined) throw refuse(`the ${h} header`);
  const canned = headerValue(call.headers, 'x-amz-acl');
  let asked: CannedAcl;
  if (canned !== undefined) {
    if (canned !== 'private' && canned !== 'public-read') throw refuse(`x-amz-acl '${canned.slice(0, 64)}'`);
    asked = canned;
  } else {
    const doc = await readBoundedBody(call.body.stream);
    if (doc.length === 0)
      throw new S3Error(
        'MissingSecurityHeader',
        'Your request was missing a required header: x-amz-acl (or an AccessControlPolicy document).',
        { MissingHeaderName: 'x-amz-acl' },
      );
    try {
      asked = aclFromPolicy(call.xml, doc);
    } catch (err) {
      if (err instanceof S3Error && err.code === 'NotImplemented') throw refuse('that grant');
      throw err;
    }
  }
  if (asked !== current) throw refuse(`'${asked}'`);
  reply.empty(200);
};
