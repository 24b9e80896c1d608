import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DomainError } from '../../src/domain/errors.js';
import { failingSource } from '../store/blobContract.js';
import { body, objectsFixture, reason, text, type ObjectsFixture } from './objectsFixture.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function withFixture(fn: (f: ObjectsFixture) => Promise<void>, versioning?: 'NeverEnabled' | 'Enabled' | 'Suspended') {
  return async () => {
    const f = await objectsFixture(versioning);
    try {
      await fn(f);
    } finally {
      await f.cleanup();
    }
  };
}

describe('ObjectService put/get', () => {
  it(
    'stores a body and its attributes, and reads it whole or by range',
    withFixture(async (f) => {
      const r = await f.objects.putObject(f.bucket, 'dir/a b%2F.txt', body('hello world'), {
        content: { contentType: 'text/plain' },
        userMetadata: { color: 'blue' },
        tags: [{ key: 'k', value: 'v' }],
      });
      assert.deepEqual(r, { etag: md5('hello world'), versionId: 'null', size: 11, lastModified: f.now.ms });
      const got = await f.objects.getObject(f.bucket, 'dir/a b%2F.txt');
      assert.equal(got.object.content.contentType, 'text/plain');
      assert.deepEqual(got.object.userMetadata, { color: 'blue' });
      assert.deepEqual(got.object.tags, [{ key: 'k', value: 'v' }]);
      assert.equal(await text(got.open()), 'hello world');
      assert.equal(await text(got.open({ start: 6, end: 10 })), 'world');
      assert.throws(() => got.open({ start: 11, end: 11 }), reason('InvalidRange'));
      const head = await f.objects.headObject(f.bucket, 'dir/a b%2F.txt');
      assert.equal(head.object.etag, md5('hello world'));
      const part = await f.objects.getObject(f.bucket, 'dir/a b%2F.txt', { partNumber: 1 });
      assert.deepEqual(part.part, { start: 0, end: 10, partsCount: 1 });
      await assert.rejects(
        f.objects.getObject(f.bucket, 'dir/a b%2F.txt', { partNumber: 2 }),
        reason('InvalidPartNumber'),
      );
    }),
  );

  it(
    "uses the caller's verified MD5 and checksum instead of hashing again",
    withFixture(async (f) => {
      const fakeMd5 = Buffer.alloc(16, 0xab);
      const r = await f.objects.putObject(f.bucket, 'k', body('data'), {
        verified: Promise.resolve({ md5: fakeMd5, checksum: { algorithm: 'CRC32', value: 'AAAAAA==' } }),
      });
      assert.equal(r.etag, fakeMd5.toString('hex'));
      assert.deepEqual(r.checksum, { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' });
    }),
  );

  it(
    'overwriting frees the old blob',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'k', body('one'));
      const [first] = await f.blobIds();
      await f.objects.putObject(f.bucket, 'k', body('two'));
      const after = await f.blobIds();
      assert.equal(after.length, 1);
      assert.notEqual(after[0], first);
      assert.equal(await text((await f.objects.getObject(f.bucket, 'k')).open()), 'two');
    }),
  );

  it(
    'a failing body keeps the previous object and leaves no new blob',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'k', body('original'));
      const before = await f.blobIds();
      await assert.rejects(
        f.objects.putObject(f.bucket, 'k', failingSource(50_000, 'XAmzContentSHA256Mismatch')),
        /XAmzContentSHA256Mismatch/,
      );
      assert.deepEqual(await f.blobIds(), before);
      assert.equal(await f.blobs.removeStaleTemp(0), 0);
      assert.equal(await text((await f.objects.getObject(f.bucket, 'k')).open()), 'original');
    }),
  );

  it(
    'a rejected verification after the body frees the new blob',
    withFixture(async (f) => {
      const verified = Promise.reject(new Error('BadDigest: trailer checksum mismatch'));
      verified.catch(() => undefined);
      await assert.rejects(f.objects.putObject(f.bucket, 'k', body('x'), { verified }), /BadDigest/);
      assert.deepEqual(await f.blobIds(), []);
      await assert.rejects(f.objects.getObject(f.bucket, 'k'), reason('NoSuchKey'));
    }),
  );

  it(
    'honours If-None-Match * and If-Match, freeing the refused blob',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'k', body('v1'), { ifNoneMatch: '*' });
      await assert.rejects(
        f.objects.putObject(f.bucket, 'k', body('v2'), { ifNoneMatch: '*' }),
        reason('PreconditionFailed'),
      );
      await assert.rejects(
        f.objects.putObject(f.bucket, 'k', body('v2'), { ifMatch: '"0000"' }),
        reason('PreconditionFailed'),
      );
      await assert.rejects(
        f.objects.putObject(f.bucket, 'missing', body('v2'), { ifMatch: '"0000"' }),
        reason('NoSuchKey'),
      );
      const r = await f.objects.putObject(f.bucket, 'k', body('v2'), { ifMatch: `"${md5('v1')}"` });
      assert.equal(r.etag, md5('v2'));
      assert.equal((await f.blobIds()).length, 1);
    }),
  );

  it(
    'enforces key and metadata limits by S3 code',
    withFixture(async (f) => {
      await assert.rejects(f.objects.putObject(f.bucket, 'é'.repeat(513), body('x')), reason('KeyTooLongError'));
      await f.objects.putObject(f.bucket, 'k'.repeat(1024), body('x'));
      await assert.rejects(
        f.objects.putObject(f.bucket, 'm', body('x'), { userMetadata: { big: 'x'.repeat(2046) } }),
        reason('MetadataTooLarge'),
      );
      await assert.rejects(f.objects.getObject(f.bucket, 'nope'), reason('NoSuchKey'));
      await assert.rejects(
        f.objects.getObject(f.bucket, 'k'.repeat(1024), { versionId: 'zzz' }),
        reason('NoSuchVersion'),
      );
    }),
  );

  it(
    'updates tags and ACL in place',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'k', body('x'), { acl: 'public-read' });
      assert.deepEqual(await f.objects.getObjectAcl(f.bucket, 'k'), { versionId: 'null', acl: 'public-read' });
      await f.objects.putObjectAcl(f.bucket, 'k', 'private');
      await f.objects.putObjectTagging(f.bucket, 'k', [
        { key: 'b', value: '2' },
        { key: 'a', value: '1' },
      ]);
      assert.deepEqual(
        await f.objects.getObjectTagging(f.bucket, 'k'),
        {
          versionId: 'null',
          tags: [
            { key: 'a', value: '1' },
            { key: 'b', value: '2' },
          ],
        },
        'a tag set, answered by key',
      );
      await f.objects.deleteObjectTagging(f.bucket, 'k');
      assert.deepEqual((await f.objects.getObjectTagging(f.bucket, 'k')).tags, []);
      assert.equal((await f.objects.getObjectAcl(f.bucket, 'k')).acl, 'private');
      await assert.rejects(f.objects.putObjectTagging(f.bucket, 'nope', []), reason('NoSuchKey'));
    }),
  );
});

describe('ObjectService and deleted buckets', () => {
  it(
    'a write that finishes after its bucket was deleted commits nothing and frees its blob',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'k', body('x'));
      const freed = await f.store.transaction(async (tx) => {
        const blobs = await tx.objects.deleteAllInBucket(f.bucket.id);
        await tx.control.deleteBucket(f.bucket.id);
        return blobs;
      });
      await f.blobs.delete(freed);
      await assert.rejects(f.objects.putObject(f.bucket, 'late', body('y')), reason('NoSuchBucket'));
      await assert.rejects(f.multipart.createMultipartUpload(f.bucket, 'late'), reason('NoSuchBucket'));
      assert.deepEqual(await f.blobIds(), []);
      assert.equal(await f.store.read((tx) => tx.objects.hasContents(f.bucket.id)), false);
    }),
  );
});

describe('ObjectService delete', () => {
  it(
    'unversioned delete removes the row and frees its blob; missing keys are fine',
    withFixture(async (f) => {
      await f.objects.putObject(f.bucket, 'k', body('x'));
      assert.deepEqual(await f.objects.deleteObject(f.bucket, 'k'), { deleteMarker: false });
      assert.deepEqual(await f.blobIds(), []);
      assert.deepEqual(await f.objects.deleteObject(f.bucket, 'k'), { deleteMarker: false });
      await assert.rejects(f.objects.getObject(f.bucket, 'k'), reason('NoSuchKey'));
    }),
  );

  it(
    'versioned delete adds a delete marker and keeps the data',
    withFixture(async (f) => {
      const v1 = await f.objects.putObject(f.bucket, 'k', body('one'));
      assert.notEqual(v1.versionId, 'null');
      const del = await f.objects.deleteObject(f.bucket, 'k');
      assert.equal(del.deleteMarker, true);
      await assert.rejects(f.objects.getObject(f.bucket, 'k'), reason('NoSuchKey'));
      await assert.rejects(
        f.objects.getObject(f.bucket, 'k', { versionId: del.versionId! }),
        reason('MethodNotAllowed'),
      );
      assert.equal(await text((await f.objects.getObject(f.bucket, 'k', { versionId: v1.versionId })).open()), 'one');
      assert.equal((await f.blobIds()).length, 1);
      assert.deepEqual(await f.objects.deleteObject(f.bucket, 'k', { versionId: del.versionId! }), {
        versionId: del.versionId,
        deleteMarker: true,
      });
      assert.equal(await text((await f.objects.getObject(f.bucket, 'k')).open()), 'one');
      await f.objects.deleteObject(f.bucket, 'k', { versionId: v1.versionId });
      assert.deepEqual(await f.blobIds(), []);
    }, 'Enabled'),
  );

  it(
    'DeleteObjects deletes many in one go and reports bad keys',
    withFixture(async (f) => {
      for (const k of ['a', 'b', 'c']) await f.objects.putObject(f.bucket, k, body(k));
      const r = await f.objects.deleteObjects(f.bucket, [
        { key: 'a' },
        { key: 'b' },
        { key: 'x'.repeat(1100) },
        { key: 'zz' },
      ]);
      assert.deepEqual(
        r.map((x) => [x.key.slice(0, 3), x.ok]),
        [
          ['a', true],
          ['b', true],
          ['xxx', false],
          ['zz', true],
        ],
      );
      assert.equal(r[2].ok ? '' : r[2].error.details.reason, 'key_too_long');
      assert.equal((await f.blobIds()).length, 1);
      await assert.rejects(
        f.objects.deleteObjects(
          f.bucket,
          Array.from({ length: 1001 }, (_, i) => ({ key: `k${i}` })),
        ),
        reason('MalformedXML'),
      );
    }),
  );
});

describe('ObjectService copy', () => {
  it(
    'copies into an independent blob, with COPY and REPLACE metadata',
    withFixture(async (f) => {
      // Larger than MAX_INLINE_BYTES, so the copy takes the blob path (small copies are inline: objectsInline.test.ts).
      const payload = 'payload'.repeat(10_000);
      await f.objects.putObject(f.bucket, 'src', body(payload), {
        content: { contentType: 'a/b' },
        userMetadata: { m: '1' },
      });
      const c = await f.objects.copyObject(f.bucket, 'dst', { source: { bucket: f.bucket, key: 'src' } });
      assert.equal(c.etag, md5(payload));
      const dst = await f.objects.getObject(f.bucket, 'dst');
      assert.deepEqual([dst.object.content, dst.object.userMetadata], [{ contentType: 'a/b' }, { m: '1' }]);
      assert.equal((await f.blobIds()).length, 2);
      await f.objects.deleteObject(f.bucket, 'src');
      assert.equal(await text((await f.objects.getObject(f.bucket, 'dst')).open()), payload);
      await assert.rejects(
        f.objects.copyObject(f.bucket, 'dst', { source: { bucket: f.bucket, key: 'dst' } }),
        reason('InvalidRequest'),
      );
      await f.objects.copyObject(f.bucket, 'dst', {
        source: { bucket: f.bucket, key: 'dst' },
        metadataDirective: 'REPLACE',
        attributes: { content: { contentType: 'x/y' }, userMetadata: {} },
      });
      const again = await f.objects.headObject(f.bucket, 'dst');
      assert.deepEqual([again.object.content, again.object.userMetadata], [{ contentType: 'x/y' }, {}]);
      assert.equal((await f.blobIds()).length, 1, 'the replaced copy was freed');
      await assert.rejects(
        f.objects.copyObject(f.bucket, 'z', { source: { bucket: f.bucket, key: 'gone' } }),
        reason('NoSuchKey'),
      );
      await assert.rejects(
        f.objects.copyObject(f.bucket, 'z', {
          source: { bucket: f.bucket, key: 'dst' },
          checkSource: () => {
            throw new DomainError('PreconditionFailed', '412', { reason: 'precondition_failed' });
          },
        }),
        reason('PreconditionFailed'),
      );
      assert.equal((await f.blobIds()).length, 1);
    }),
  );
});
