/**
 * The default checksum: like S3 since 2025, every new object written without a checksum gets a
 * CRC64NVME (PutObject small and large, CopyObject, multipart without an algorithm), computed while
 * the body streams and returned with ChecksumMode=ENABLED (HeadObject, GetObject, GetObjectAttributes).
 * Driven with @aws-sdk/client-s3 told not to send checksums (requestChecksumCalculation WHEN_REQUIRED).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { namesChecksum } from '../../src/s3/handlers/object/writeRequest.js';

let fx: DataPlaneFixture;
let plain: S3Client;
before(async () => {
  fx = await startDataPlane();
  plain = fx.s3For(fx.key, { checksumsWhenRequired: true });
});
after(async () => {
  await fx?.close();
});

async function crc64(...pieces: Buffer[]): Promise<string> {
  const c = new Crc64Nvme();
  for (const p of pieces) c.update(p);
  return Buffer.from(await c.digest()).toString('base64');
}

async function expectDefault(key: string, want: string): Promise<void> {
  const head = await plain.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: key, ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumCRC64NVME, want, `HeadObject ${key}`);
  assert.equal(head.ChecksumType, 'FULL_OBJECT');
  const get = await plain.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key, ChecksumMode: 'ENABLED' }));
  assert.equal(get.ChecksumCRC64NVME, want, `GetObject ${key}`);
  await get.Body?.transformToByteArray();
  const attrs = await plain.send(
    new GetObjectAttributesCommand({ Bucket: fx.bucket, Key: key, ObjectAttributes: ['Checksum'] }),
  );
  assert.equal(attrs.Checksum?.ChecksumCRC64NVME, want, `GetObjectAttributes ${key}`);
  assert.equal(attrs.Checksum?.ChecksumType, 'FULL_OBJECT');
  const without = await plain.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: key }));
  assert.equal(without.ChecksumCRC64NVME, undefined, 'only returned with ChecksumMode=ENABLED');
}

test('PutObject without a checksum (inline and streamed bodies) gets a CRC64NVME', async () => {
  for (const [key, size] of [
    ['dc/small', 1000],
    ['dc/empty', 0],
    ['dc/large', 3 * 1024 * 1024 + 17],
  ] as const) {
    const body = randomBytes(size);
    const put = await plain.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: body }));
    const want = await crc64(body);
    assert.equal(put.ChecksumCRC64NVME, want, `PutObject answer for ${key}`);
    await expectDefault(key, want);
  }
});

test('a client checksum is kept instead of the default', async () => {
  const body = randomBytes(5000);
  await fx.s3.send(
    new PutObjectCommand({ Bucket: fx.bucket, Key: 'dc/crc32', Body: body, ChecksumAlgorithm: 'CRC32' }),
  );
  const head = await plain.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'dc/crc32', ChecksumMode: 'ENABLED' }));
  assert.ok(head.ChecksumCRC32);
  assert.equal(head.ChecksumCRC64NVME, undefined);
});

test('the default is computed only for a request that names no checksum (the named one is kept)', () => {
  assert.equal(namesChecksum({}), false);
  assert.equal(namesChecksum({ 'content-md5': 'x', 'x-amz-checksum-type': 'FULL_OBJECT' }), false);
  assert.equal(namesChecksum({ 'x-amz-checksum-mode': 'ENABLED', 'x-amz-trailer': ' , ' }), false);
  assert.equal(namesChecksum({ 'x-amz-checksum-crc32': 'AAAAAA==' }), true);
  assert.equal(namesChecksum({ 'x-amz-checksum-sha256': '' }), true, 'an empty value is refused, not defaulted');
  assert.equal(namesChecksum({ 'x-amz-sdk-checksum-algorithm': 'CRC32C' }), true);
  assert.equal(namesChecksum({ 'x-amz-trailer': 'x-amz-checksum-crc64nvme' }), true);
});

test('CopyObject keeps a whole-object checksum and gives a copy of a composite one the default', async () => {
  const body = randomBytes(200_000);
  await plain.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'dc/src', Body: body }));
  await plain.send(new CopyObjectCommand({ Bucket: fx.bucket, Key: 'dc/copy', CopySource: `${fx.bucket}/dc/src` }));
  await expectDefault('dc/copy', await crc64(body));
  // A composite SHA256 multipart source: the copy is one part, so it gets the default CRC64NVME.
  const part = randomBytes(5 * 1024 * 1024);
  const up = await fx.s3.send(
    new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: 'dc/composite', ChecksumAlgorithm: 'SHA256' }),
  );
  const p1 = await fx.s3.send(
    new UploadPartCommand({
      Bucket: fx.bucket,
      Key: 'dc/composite',
      UploadId: up.UploadId,
      PartNumber: 1,
      Body: part,
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  await fx.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: fx.bucket,
      Key: 'dc/composite',
      UploadId: up.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumSHA256: p1.ChecksumSHA256 }] },
    }),
  );
  await plain.send(
    new CopyObjectCommand({ Bucket: fx.bucket, Key: 'dc/copy2', CopySource: `${fx.bucket}/dc/composite` }),
  );
  await expectDefault('dc/copy2', await crc64(part));
});

test('a multipart upload without a checksum algorithm gets a whole-object CRC64NVME', async () => {
  const a = randomBytes(5 * 1024 * 1024);
  const b = randomBytes(123_457);
  const up = await plain.send(new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: 'dc/mp' }));
  const parts = [];
  for (const [i, body] of [a, b].entries()) {
    const r = await plain.send(
      new UploadPartCommand({ Bucket: fx.bucket, Key: 'dc/mp', UploadId: up.UploadId, PartNumber: i + 1, Body: body }),
    );
    parts.push({ PartNumber: i + 1, ETag: r.ETag });
  }
  const done = await plain.send(
    new CompleteMultipartUploadCommand({
      Bucket: fx.bucket,
      Key: 'dc/mp',
      UploadId: up.UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  const want = await crc64(a, b);
  assert.equal(done.ChecksumCRC64NVME, want);
  await expectDefault('dc/mp', want);
});
