/** Object versions with client-s3: versionId reads, copies from a version, delete markers, version deletes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LightsailClient, UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import {
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  CopyObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { startDataPlane, bodyBytes, REGION, type DataPlaneFixture } from './clientsHarness.js';

let fx: DataPlaneFixture;
before(async () => {
  fx = await startDataPlane();
  const ls = new LightsailClient({ endpoint: fx.server.endpoint, region: REGION, credentials: fx.server.credentials });
  try {
    await ls.send(new UpdateBucketCommand({ bucketName: fx.bucket, versioning: 'Enabled' }));
  } finally {
    ls.destroy();
  }
});
after(async () => {
  await fx?.close();
});

const text = async (p: Promise<{ Body?: unknown }>) => (await bodyBytes((await p).Body)).toString();

test('versions: each PUT has a version id, reads and copies by versionId, delete markers and version deletes', async () => {
  const B = fx.bucket;
  const v1 = await fx.s3.send(new PutObjectCommand({ Bucket: B, Key: 'doc', Body: 'first' }));
  const v2 = await fx.s3.send(new PutObjectCommand({ Bucket: B, Key: 'doc', Body: 'second' }));
  assert.ok(
    v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId,
    `version ids ${v1.VersionId} ${v2.VersionId}`,
  );
  assert.equal(await text(fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc' }))), 'second');
  assert.equal(
    await text(fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc', VersionId: v1.VersionId }))),
    'first',
  );
  const head = await fx.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'doc', VersionId: v1.VersionId }));
  assert.equal(head.VersionId, v1.VersionId);

  const copy = await fx.s3.send(
    new CopyObjectCommand({
      Bucket: B,
      Key: 'restored',
      CopySource: `${B}/doc?versionId=${encodeURIComponent(v1.VersionId)}`,
    }),
  );
  assert.equal(copy.CopySourceVersionId, v1.VersionId);
  assert.ok(copy.VersionId);
  assert.equal(await text(fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'restored' }))), 'first');

  const del = await fx.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc' }));
  assert.equal(del.DeleteMarker, true);
  assert.ok(del.VersionId);
  await assert.rejects(
    fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc' })),
    (e: S3ServiceException) =>
      e.name === 'NoSuchKey' &&
      e.$response?.headers['x-amz-delete-marker'] === 'true' &&
      e.$response?.headers['x-amz-version-id'] === del.VersionId,
  );
  await assert.rejects(
    fx.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'doc' })),
    (e: S3ServiceException) =>
      e.$metadata.httpStatusCode === 404 && e.$response?.headers['x-amz-delete-marker'] === 'true',
  );
  await assert.rejects(
    fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc', VersionId: del.VersionId })),
    (e: S3ServiceException) =>
      e.$metadata.httpStatusCode === 405 && e.$response?.headers['x-amz-delete-marker'] === 'true',
  );
  assert.equal(
    await text(fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc', VersionId: v2.VersionId }))),
    'second',
  );
  await assert.rejects(
    fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc', VersionId: 'no-such-version' })),
    (e: S3ServiceException) => e.$metadata.httpStatusCode === 404,
  );

  // Removing the delete marker brings the newest version back.
  const undelete = await fx.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: del.VersionId }));
  assert.equal(undelete.VersionId, del.VersionId);
  assert.equal(await text(fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc' }))), 'second');
  await fx.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: v2.VersionId }));
  assert.equal(await text(fx.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc' }))), 'first');
});
