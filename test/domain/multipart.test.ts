import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { body, bytes, objectsFixture, reason, type ObjectsFixture } from './objectsFixture.js';

const MiB = 1024 * 1024;
const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');
const fill = (n: number, v: number) => Buffer.alloc(n, v);

function withFixture(fn: (f: ObjectsFixture) => Promise<void>) {
  return async () => {
    const f = await objectsFixture();
    try {
      await fn(f);
    } finally {
      await f.cleanup();
    }
  };
}

async function partBlobIds(f: ObjectsFixture, uploadId: string): Promise<Map<number, string>> {
  const parts = await f.store.read((tx) => tx.objects.getParts(uploadId));
  return new Map(parts.map((p) => [p.partNumber, p.blobId]));
}

describe('MultipartService', () => {
  it(
    'completes by referencing the part blobs (no copy) and frees parts left out',
    withFixture(async (f) => {
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'big', {
        content: { contentType: 'video/mp4' },
        userMetadata: { a: '1' },
      });
      const p1 = fill(5 * MiB, 1);
      const p2 = fill(5 * MiB, 2);
      const p3 = fill(1000, 3);
      const e1 = await f.multipart.uploadPart(f.bucket, 'big', uploadId, 1, body(p1));
      const e2 = await f.multipart.uploadPart(f.bucket, 'big', uploadId, 2, body(fill(100, 9)));
      const e3 = await f.multipart.uploadPart(f.bucket, 'big', uploadId, 3, body(p2));
      const e4 = await f.multipart.uploadPart(f.bucket, 'big', uploadId, 4, body(p3));
      assert.equal(e1.etag, md5hex(p1));
      const parts = await partBlobIds(f, uploadId);
      const done = await f.multipart.completeMultipartUpload(f.bucket, 'big', uploadId, [
        { partNumber: 1, etag: `"${e1.etag}"` },
        { partNumber: 3, etag: e3.etag },
        { partNumber: 4, etag: e4.etag },
      ]);
      const expectedEtag =
        createHash('md5')
          .update(Buffer.concat([e1.etag, e3.etag, e4.etag].map((e) => Buffer.from(e, 'hex'))))
          .digest('hex') + '-3';
      assert.equal(done.etag, expectedEtag);
      assert.equal(done.size, p1.length + p2.length + p3.length);
      const got = await f.objects.getObject(f.bucket, 'big');
      assert.deepEqual(
        got.object.segments.map((s) => s.blobId),
        [parts.get(1), parts.get(3), parts.get(4)],
      );
      assert.equal(got.object.partsCount, 3);
      assert.equal(got.object.content.contentType, 'video/mp4');
      assert.deepEqual(
        (await f.blobIds()).sort(),
        [parts.get(1), parts.get(3), parts.get(4)].sort(),
        'part 2 freed, nothing copied',
      );
      assert.ok(!(await f.blobIds()).includes(parts.get(2)!));
      const whole = await bytes(got.open());
      assert.ok(whole.equals(Buffer.concat([p1, p2, p3])));
      const across = await bytes(got.open({ start: 5 * MiB - 2, end: 5 * MiB + 1 }));
      assert.deepEqual([...across], [1, 1, 2, 2]);
      const third = await f.objects.getObject(f.bucket, 'big', { partNumber: 3 });
      assert.deepEqual(third.part, { start: 5 * MiB, end: 10 * MiB - 1, partsCount: 3 });
      assert.equal((await bytes(third.open())).length, 5 * MiB);
      const headFourth = await f.objects.headObject(f.bucket, 'big', { partNumber: 4 });
      assert.deepEqual(headFourth.part, { start: 10 * MiB, end: 10 * MiB + 999, partsCount: 3 });
      await assert.rejects(
        f.objects.getObject(f.bucket, 'big', { partNumber: 2 }),
        reason('InvalidPartNumber'),
        'part 2 was left out',
      );
      await assert.rejects(f.multipart.listParts(f.bucket, 'big', uploadId), reason('NoSuchUpload'));
      assert.ok(e2.etag);
    }),
  );

  it(
    'refuses bad part lists by S3 code and keeps the upload',
    withFixture(async (f) => {
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'k');
      const a = await f.multipart.uploadPart(f.bucket, 'k', uploadId, 1, body('small'));
      const b = await f.multipart.uploadPart(f.bucket, 'k', uploadId, 2, body('tail'));
      await assert.rejects(
        f.multipart.completeMultipartUpload(f.bucket, 'k', uploadId, [
          { partNumber: 1, etag: a.etag },
          { partNumber: 2, etag: b.etag },
        ]),
        reason('EntityTooSmall'),
      );
      await assert.rejects(
        f.multipart.completeMultipartUpload(f.bucket, 'k', uploadId, [
          { partNumber: 2, etag: b.etag },
          { partNumber: 1, etag: a.etag },
        ]),
        reason('InvalidPartOrder'),
      );
      await assert.rejects(
        f.multipart.completeMultipartUpload(f.bucket, 'k', uploadId, [{ partNumber: 1, etag: b.etag }]),
        reason('InvalidPart'),
      );
      await assert.rejects(
        f.multipart.completeMultipartUpload(f.bucket, 'k', uploadId, [{ partNumber: 7, etag: a.etag }]),
        reason('InvalidPart'),
      );
      await assert.rejects(f.multipart.completeMultipartUpload(f.bucket, 'k', uploadId, []), reason('MalformedXML'));
      await assert.rejects(
        f.multipart.uploadPart(f.bucket, 'k', uploadId, 10001, body('x')),
        reason('InvalidArgument'),
      );
      await assert.rejects(f.multipart.uploadPart(f.bucket, 'other', uploadId, 1, body('x')), reason('NoSuchUpload'));
      assert.equal((await f.multipart.listParts(f.bucket, 'k', uploadId)).parts.length, 2);
      const single = await f.multipart.completeMultipartUpload(f.bucket, 'k', uploadId, [
        { partNumber: 1, etag: a.etag },
      ]);
      assert.match(single.etag, /^[0-9a-f]{32}-1$/);
      assert.equal(single.size, 5);
      assert.equal((await f.blobIds()).length, 1);
    }),
  );

  it(
    'replacing a part frees the old blob; abort frees every part',
    withFixture(async (f) => {
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'k');
      await f.multipart.uploadPart(f.bucket, 'k', uploadId, 1, body('first'));
      const before = await f.blobIds();
      await f.multipart.uploadPart(f.bucket, 'k', uploadId, 1, body('second'));
      const after = await f.blobIds();
      assert.equal(after.length, 1);
      assert.notDeepEqual(after, before);
      await f.multipart.uploadPart(f.bucket, 'k', uploadId, 2, body('more'));
      assert.equal((await f.blobIds()).length, 2);
      await f.multipart.abortMultipartUpload(f.bucket, 'k', uploadId);
      assert.deepEqual(await f.blobIds(), []);
      await assert.rejects(f.multipart.abortMultipartUpload(f.bucket, 'k', uploadId), reason('NoSuchUpload'));
      await assert.rejects(f.multipart.uploadPart(f.bucket, 'k', uploadId, 1, body('late')), reason('NoSuchUpload'));
      assert.deepEqual(await f.blobIds(), []);
    }),
  );

  it(
    'computes a composite checksum when the upload has an algorithm',
    withFixture(async (f) => {
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'c', { checksumAlgorithm: 'CRC32' });
      const datas = [fill(5 * MiB, 7), Buffer.from('end')];
      const crcs = datas.map((d) => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(crc32(d));
        return b;
      });
      const etags: string[] = [];
      for (let i = 0; i < datas.length; i++) {
        const r = await f.multipart.uploadPart(f.bucket, 'c', uploadId, i + 1, body(datas[i]), {
          verified: Promise.resolve({
            md5: createHash('md5').update(datas[i]).digest(),
            checksum: { algorithm: 'CRC32', value: crcs[i].toString('base64') },
          }),
        });
        etags.push(r.etag);
      }
      const done = await f.multipart.completeMultipartUpload(
        f.bucket,
        'c',
        uploadId,
        etags.map((etag, i) => ({ partNumber: i + 1, etag, checksum: crcs[i].toString('base64') })),
      );
      const whole = Buffer.alloc(4);
      whole.writeUInt32BE(crc32(Buffer.concat(crcs)));
      assert.deepEqual(done.checksum, {
        algorithm: 'CRC32',
        value: `${whole.toString('base64')}-2`,
        type: 'COMPOSITE',
      });
      const got = await f.objects.getObject(f.bucket, 'c');
      assert.deepEqual(
        got.object.segments.map((s) => s.checksum),
        crcs.map((c) => c.toString('base64')),
        'part checksums kept per segment',
      );
    }),
  );

  it(
    'honours If-None-Match * on complete and copies part ranges',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'src', body('0123456789'));
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'src');
      const c = await f.multipart.uploadPartCopy(f.bucket, 'src', uploadId, 1, {
        source: { bucket: f.bucket, key: 'src' },
        range: { start: 2, end: 5 },
      });
      assert.equal(c.etag, md5hex(Buffer.from('2345')));
      await assert.rejects(
        f.multipart.completeMultipartUpload(f.bucket, 'src', uploadId, [{ partNumber: 1, etag: c.etag }], {
          ifNoneMatch: '*',
        }),
        reason('PreconditionFailed'),
      );
      await f.multipart.completeMultipartUpload(f.bucket, 'src', uploadId, [{ partNumber: 1, etag: c.etag }]);
      assert.equal((await bytes((await f.objects.getObject(f.bucket, 'src')).open())).toString(), '2345');
      assert.equal((await f.blobIds()).length, 1, 'the overwritten single-part object was freed');
    }),
  );

  it(
    'lists uploads and parts with markers',
    withFixture(async (f) => {
      const u1 = await f.multipart.createMultipartUpload(f.bucket, 'a/1');
      await f.multipart.createMultipartUpload(f.bucket, 'a/2');
      await f.multipart.createMultipartUpload(f.bucket, 'b');
      for (const n of [1, 2, 3]) await f.multipart.uploadPart(f.bucket, 'a/1', u1.uploadId, n, body(`p${n}`));
      const rolled = await f.multipart.listMultipartUploads(f.bucket, { delimiter: '/' });
      assert.deepEqual([rolled.commonPrefixes, rolled.uploads.map((u) => u.key)], [['a/'], ['b']]);
      const page = await f.multipart.listMultipartUploads(f.bucket, { maxUploads: 1 });
      assert.deepEqual([page.uploads.map((u) => u.key), page.isTruncated, page.nextKeyMarker], [['a/1'], true, 'a/1']);
      const next = await f.multipart.listMultipartUploads(f.bucket, {
        keyMarker: page.nextKeyMarker!,
        uploadIdMarker: page.nextUploadIdMarker!,
      });
      assert.deepEqual(
        next.uploads.map((u) => u.key),
        ['a/2', 'b'],
      );
      const parts = await f.multipart.listParts(f.bucket, 'a/1', u1.uploadId, { partNumberMarker: 1, maxParts: 1 });
      assert.deepEqual(
        [parts.parts.map((p) => p.partNumber), parts.isTruncated, parts.nextPartNumberMarker],
        [[2], true, 2],
      );
      assert.equal((await f.store.read((tx) => tx.objects.bucketStats(f.bucket.id))).sizeBytes, 6);
    }),
  );
});

describe('multipart checksums', () => {
  it('combines part CRCs into the whole-object CRC (FULL_OBJECT) for CRC32, CRC32C and CRC64NVME', async () => {
    const { crcCombine, combineParts } = await import('../../src/domain/multipart/crcCombine.js');
    const { digestOf } = await import('../../src/crypto/checksums.js');
    const a = Buffer.from('hello world, '.repeat(1000));
    const b = Buffer.from('second part!'.repeat(77));
    const c = Buffer.from('x');
    for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
      const whole = await digestOf(alg, Buffer.concat([a, b, c]));
      assert.ok(
        crcCombine(alg, await digestOf(alg, a), await digestOf(alg, b), b.length).equals(
          await digestOf(alg, Buffer.concat([a, b])),
        ),
        alg,
      );
      const parts = [];
      for (const d of [a, b, c]) parts.push({ value: (await digestOf(alg, d)).toString('base64'), size: d.length });
      assert.equal(combineParts(alg, parts), whole.toString('base64'), alg);
    }
  });

  it(
    "completes a FULL_OBJECT CRC64NVME upload with the whole-object checksum, and checks the client's",
    withFixture(async (f) => {
      const { digestOf } = await import('../../src/crypto/checksums.js');
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'full', {
        checksumAlgorithm: 'CRC64NVME',
      });
      const datas = [fill(5 * MiB, 4), Buffer.from('last')];
      const etags: string[] = [];
      for (let i = 0; i < datas.length; i++) {
        const value = (await digestOf('CRC64NVME', datas[i])).toString('base64');
        const r = await f.multipart.uploadPart(f.bucket, 'full', uploadId, i + 1, body(datas[i]), {
          verified: Promise.resolve({
            md5: createHash('md5').update(datas[i]).digest(),
            checksum: { algorithm: 'CRC64NVME', value },
          }),
        });
        etags.push(r.etag);
      }
      const whole = (await digestOf('CRC64NVME', Buffer.concat(datas))).toString('base64');
      const list = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
      await assert.rejects(
        f.multipart.completeMultipartUpload(
          f.bucket,
          'full',
          uploadId,
          list,
          {},
          { algorithm: 'CRC64NVME', value: 'AAAAAAAAAAA=' },
        ),
        reason('BadDigest'),
      );
      const done = await f.multipart.completeMultipartUpload(
        f.bucket,
        'full',
        uploadId,
        list,
        {},
        { algorithm: 'CRC64NVME', value: whole },
      );
      assert.deepEqual(done.checksum, { algorithm: 'CRC64NVME', value: whole, type: 'FULL_OBJECT' });
      await assert.rejects(
        f.multipart.createMultipartUpload(f.bucket, 'x', { checksumAlgorithm: 'SHA256', checksumType: 'FULL_OBJECT' }),
        reason('InvalidRequest'),
      );
      await assert.rejects(
        f.multipart.createMultipartUpload(f.bucket, 'x', { checksumAlgorithm: 'CRC64NVME', checksumType: 'COMPOSITE' }),
        reason('InvalidRequest'),
      );
    }),
  );
});

it('combineParts gives the CRC of the concatenation, empty parts included (FULL_OBJECT multipart checksums)', async () => {
  const { combineParts } = await import('../../src/domain/multipart/crcCombine.js');
  const { digestOf } = await import('../../src/crypto/checksums.js');
  const parts = [
    Buffer.from('hello '),
    Buffer.alloc(0),
    Buffer.alloc(70_000, 0xab),
    Buffer.from('world'),
    Buffer.from('!'),
  ];
  for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    const values = await Promise.all(
      parts.map(async (p) => ({ value: (await digestOf(alg, p)).toString('base64'), size: p.length })),
    );
    assert.equal(combineParts(alg, values), (await digestOf(alg, Buffer.concat(parts))).toString('base64'), alg);
  }
});
