/**
 * Object ACLs with real clients: a bucket key may make an object public only where the bucket
 * allows public overrides; a public-read object is then readable anonymously; root may set it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LightsailClient, UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import { PutObjectCommand, PutObjectAclCommand, GetObjectAclCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { startDataPlane, REGION, type DataPlaneFixture } from './clientsHarness.js';

let fx: DataPlaneFixture;
before(async () => {
  fx = await startDataPlane();
});
after(async () => {
  await fx?.close();
});

const anonymousGet = (key: string) => fetch(`${fx.server.endpoint}/${fx.bucket}/${key}`);

async function setOverrides(allow: boolean): Promise<void> {
  const ls = new LightsailClient({ endpoint: fx.server.endpoint, region: REGION, credentials: fx.server.credentials });
  try {
    await ls.send(
      new UpdateBucketCommand({
        bucketName: fx.bucket,
        accessRules: { getObject: 'private', allowPublicOverrides: allow },
      }),
    );
  } finally {
    ls.destroy();
  }
}

test('a bucket key cannot set public-read where the bucket does not allow public overrides', async () => {
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'acl/one', Body: 'one' }));
  await assert.rejects(
    fx.s3.send(new PutObjectAclCommand({ Bucket: fx.bucket, Key: 'acl/one', ACL: 'public-read' })),
    (e: S3ServiceException) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403,
  );
  await assert.rejects(
    fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'acl/two', Body: 'two', ACL: 'public-read' })),
    (e: S3ServiceException) => e.name === 'AccessDenied',
  );
  assert.equal((await anonymousGet('acl/one')).status, 403);
  const acl = await fx.s3.send(new GetObjectAclCommand({ Bucket: fx.bucket, Key: 'acl/one' }));
  assert.deepEqual(
    acl.Grants?.map((g) => g.Permission),
    ['FULL_CONTROL'],
  );
});

test('with public overrides allowed, public-read objects are readable anonymously and private ones are not', async () => {
  await setOverrides(true);
  await fx.s3.send(new PutObjectAclCommand({ Bucket: fx.bucket, Key: 'acl/one', ACL: 'public-read' }));
  const acl = await fx.s3.send(new GetObjectAclCommand({ Bucket: fx.bucket, Key: 'acl/one' }));
  assert.deepEqual(
    acl.Grants?.map((g) => g.Permission),
    ['FULL_CONTROL', 'READ'],
  );
  assert.equal(acl.Grants?.[1]?.Grantee?.URI, 'http://acs.amazonaws.com/groups/global/AllUsers');
  const pub = await anonymousGet('acl/one');
  assert.equal(pub.status, 200);
  assert.equal(await pub.text(), 'one');
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'acl/three', Body: 'three', ACL: 'public-read' }));
  assert.equal(await (await anonymousGet('acl/three')).text(), 'three');
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'acl/private', Body: 'p' }));
  assert.equal((await anonymousGet('acl/private')).status, 403);
  await fx.s3.send(new PutObjectAclCommand({ Bucket: fx.bucket, Key: 'acl/one', ACL: 'private' }));
  assert.equal((await anonymousGet('acl/one')).status, 403);
  await assert.rejects(
    fx.s3.send(new PutObjectAclCommand({ Bucket: fx.bucket, Key: 'acl/one', ACL: 'authenticated-read' })),
    (e: S3ServiceException) => e.$metadata.httpStatusCode === 400,
  );
  await setOverrides(false);
});
