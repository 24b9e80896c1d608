/**
 * Checksums of the parts of a multipart object, as S3 returns them: GetObject and HeadObject with
 * `PartNumber` and ChecksumMode=ENABLED answer that part's checksum (and the object's checksum
 * type), GetObjectAttributes lists each part's checksum, and a byte range gets none.
 * Driven with @aws-sdk/client-s3 (checksums given explicitly, so the test knows each part's).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';

let fx: DataPlaneFixture;
let s3: S3Client;
before(async () => {
  fx = await startDataPlane();
  s3 = fx.s3For(fx.key, { checksumsWhenRequired: true });
});
after(async () => {
  await fx?.close();
});

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('base64');

test('a part of a composite SHA256 multipart object is read with its own checksum', async () => {
  const Key = 'pc/composite';
  const bodies = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(77_777)];
  const up = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: fx.bucket,
      Key,
      ChecksumAlgorithm: 'SHA256',
      ChecksumType: 'COMPOSITE',
    }),
  );
  const parts = [];
  for (const [i, Body] of bodies.entries()) {
    const r = await s3.send(
      new UploadPartCommand({
        Bucket: fx.bucket,
        Key,
        UploadId: up.UploadId,
        PartNumber: i + 1,
        Body,
        ChecksumSHA256: sha256(Body),
      }),
    );
    assert.equal(r.ChecksumSHA256, sha256(Body), `UploadPart ${i + 1} echoes its checksum`);
    parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256: r.ChecksumSHA256 });
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: fx.bucket,
      Key,
      UploadId: up.UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  assert.equal(done.ChecksumType, 'COMPOSITE');
  assert.match(done.ChecksumSHA256 ?? '', /-3$/);

  for (const [i, body] of bodies.entries()) {
    const get = await s3.send(
      new GetObjectCommand({ Bucket: fx.bucket, Key, PartNumber: i + 1, ChecksumMode: 'ENABLED' }),
    );
    assert.equal(get.ChecksumSHA256, sha256(body), `GetObject part ${i + 1}`);
    assert.equal(get.ChecksumType, 'COMPOSITE');
    assert.equal(get.PartsCount, 3);
    assert.ok(Buffer.from(await get.Body!.transformToByteArray()).equals(body), `part ${i + 1} bytes`);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: fx.bucket, Key, PartNumber: i + 1, ChecksumMode: 'ENABLED' }),
    );
    assert.equal(head.ChecksumSHA256, sha256(body), `HeadObject part ${i + 1}`);
  }
  const whole = await s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key, ChecksumMode: 'ENABLED' }));
  assert.equal(whole.ChecksumSHA256, done.ChecksumSHA256, 'the whole object keeps its composite checksum');
  const ranged = await s3.send(
    new GetObjectCommand({ Bucket: fx.bucket, Key, Range: 'bytes=0-99', ChecksumMode: 'ENABLED' }),
  );
  assert.equal(ranged.ChecksumSHA256, undefined, 'no stored checksum describes a byte range');
  await ranged.Body?.transformToByteArray();
  const withoutMode = await s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key, PartNumber: 1 }));
  assert.equal(withoutMode.ChecksumSHA256, undefined, 'only with ChecksumMode=ENABLED');
  await withoutMode.Body?.transformToByteArray();

  const attrs = await s3.send(
    new GetObjectAttributesCommand({ Bucket: fx.bucket, Key, ObjectAttributes: ['ObjectParts', 'Checksum'] }),
  );
  assert.deepEqual(
    attrs.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumSHA256]),
    bodies.map((b, i) => [i + 1, b.length, sha256(b)]),
  );
  assert.equal(attrs.Checksum?.ChecksumType, 'COMPOSITE');
});

test('part 1 of a single-part object is the whole object, with its checksum', async () => {
  const Key = 'pc/single';
  const Body = randomBytes(4096);
  await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key, Body, ChecksumSHA256: sha256(Body) }));
  const get = await s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key, PartNumber: 1, ChecksumMode: 'ENABLED' }));
  assert.equal(get.ChecksumSHA256, sha256(Body));
  assert.equal(get.ChecksumType, 'FULL_OBJECT');
  assert.ok(Buffer.from(await get.Body!.transformToByteArray()).equals(Body));
});
