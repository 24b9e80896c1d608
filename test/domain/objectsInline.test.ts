/**
 * Small objects kept inline in the object index (no blob file): PUT, GET whole/range/part, HEAD,
 * overwrite inline <-> blob both ways, versions, copy, UploadPartCopy, delete, failures, and what
 * the database holds afterwards (no body row outlives its version row).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ObjectService } from '../../src/domain/objects/objects.js';
import { MAX_INLINE_BYTES } from '../../src/domain/objects/limits.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { failingSource } from '../store/blobContract.js';
import { body, bytes, objectsFixture, reason, text, type ObjectsFixture } from './objectsFixture.js';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const small = (n: number, fill = 1) => Buffer.alloc(n, fill);

function withFixture(fn: (f: ObjectsFixture) => Promise<void>, versioning?: 'NeverEnabled' | 'Enabled' | 'Suspended') {
  return async () => {
    const f = await objectsFixture(versioning, true);
    try {
      await fn(f);
    } finally {
      await f.cleanup();
    }
  };
}

/** Rows of object_bodies (inline bodies) in the fixture's database. */
function bodyRows(f: ObjectsFixture): number {
  const db = new Database(f.metaPath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM object_bodies').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** `declared` null: no declared length (the blob path). */
const put = (f: ObjectsFixture, key: string, b: Buffer, declared: number | null = b.length) =>
  f.objects.putObject(f.bucket, key, body(b), declared === null ? {} : { declaredLength: declared });

describe('inline objects', () => {
  it(
    'a body up to MAX_INLINE_BYTES with a declared length is stored without a blob and read back whole, by range and by part',
    withFixture(async (f) => {
      const b = Buffer.from(Array.from({ length: MAX_INLINE_BYTES }, (_, i) => i % 251));
      const r = await put(f, 'k', b);
      assert.equal(r.etag, md5(b));
      assert.deepEqual(await f.blobIds(), [], 'no blob file');
      assert.equal(bodyRows(f), 1);
      const got = await f.objects.getObject(f.bucket, 'k');
      assert.deepEqual(got.inlineBody(), b);
      assert.deepEqual(await bytes(got.open()), b);
      assert.deepEqual(got.inlineBody({ start: 10, end: 19 }), b.subarray(10, 20));
      assert.deepEqual(await bytes(got.open({ start: 100, end: MAX_INLINE_BYTES - 1 })), b.subarray(100));
      assert.throws(() => got.open({ start: 0, end: MAX_INLINE_BYTES }), reason('InvalidRange'));
      const part = await f.objects.getObject(f.bucket, 'k', { partNumber: 1 });
      assert.deepEqual(part.part, { start: 0, end: MAX_INLINE_BYTES - 1, partsCount: 1 });
      assert.deepEqual(part.inlineBody(), b);
      const head = await f.objects.headObject(f.bucket, 'k');
      assert.equal(head.object.size, MAX_INLINE_BYTES);
      assert.equal(head.inlineBody(), undefined, 'HEAD does not load the body');
    }),
  );

  it(
    'one byte over the threshold, or an unknown length, takes the blob path',
    withFixture(async (f) => {
      await put(f, 'big', small(MAX_INLINE_BYTES + 1));
      await put(f, 'unknown', small(10), null);
      assert.equal((await f.blobIds()).length, 2);
      assert.equal(bodyRows(f), 0);
      assert.equal((await f.objects.getObject(f.bucket, 'unknown')).inlineBody(), undefined);
      assert.equal(await text((await f.objects.getObject(f.bucket, 'unknown')).open()), '\x01'.repeat(10));
    }),
  );

  it(
    'an empty body is inline with no body row',
    withFixture(async (f) => {
      const r = await put(f, 'empty', Buffer.alloc(0));
      assert.equal(r.etag, md5(''));
      assert.deepEqual(await f.blobIds(), []);
      assert.equal(bodyRows(f), 0);
      const got = await f.objects.getObject(f.bucket, 'empty');
      assert.equal(got.object.size, 0);
      assert.deepEqual(got.inlineBody(), Buffer.alloc(0));
      assert.equal(await text(got.open()), '');
    }),
  );

  it(
    'overwrites inline -> blob -> inline -> inline free the right things',
    withFixture(async (f) => {
      await put(f, 'k', small(100, 1));
      const big = small(MAX_INLINE_BYTES * 2, 2);
      await put(f, 'k', big);
      assert.equal(bodyRows(f), 0, 'the inline body went with its row');
      const [blob] = await f.blobIds();
      assert.ok(blob);
      assert.deepEqual(await bytes((await f.objects.getObject(f.bucket, 'k')).open()), big);
      await put(f, 'k', small(200, 3));
      assert.deepEqual(await f.blobIds(), [], 'the replaced blob was freed');
      assert.equal(bodyRows(f), 1);
      await put(f, 'k', small(300, 4));
      assert.equal(bodyRows(f), 1);
      assert.deepEqual((await f.objects.getObject(f.bucket, 'k')).inlineBody(), small(300, 4));
      await f.objects.deleteObject(f.bucket, 'k');
      assert.equal(bodyRows(f), 0);
      await assert.rejects(f.objects.getObject(f.bucket, 'k'), reason('NoSuchKey'));
    }),
  );

  it(
    'versions keep their own inline bodies; deleting a version removes only its body',
    withFixture(async (f) => {
      const v1 = await put(f, 'k', small(10, 1));
      const v2 = await put(f, 'k', small(20, 2));
      await f.objects.deleteObject(f.bucket, 'k');
      assert.equal(bodyRows(f), 2);
      assert.deepEqual(
        (await f.objects.getObject(f.bucket, 'k', { versionId: v1.versionId })).inlineBody(),
        small(10, 1),
      );
      await f.objects.deleteObject(f.bucket, 'k', { versionId: v2.versionId });
      assert.equal(bodyRows(f), 1);
      assert.deepEqual(
        await bytes((await f.objects.getObject(f.bucket, 'k', { versionId: v1.versionId })).open()),
        small(10, 1),
      );
    }, 'Enabled'),
  );

  it(
    'a failing body or verification leaves the previous object and nothing new',
    withFixture(async (f) => {
      await put(f, 'k', small(5, 9));
      await assert.rejects(
        f.objects.putObject(f.bucket, 'k', failingSource(1000, 'XAmzContentSHA256Mismatch'), { declaredLength: 2000 }),
        /XAmzContentSHA256Mismatch/,
      );
      const verified = Promise.reject(new Error('BadDigest: trailer checksum mismatch'));
      verified.catch(() => undefined);
      await assert.rejects(f.objects.putObject(f.bucket, 'k', body('x'), { verified, declaredLength: 1 }), /BadDigest/);
      await assert.rejects(put(f, 'k', small(30), 20), /longer than its declared length of 20/);
      await assert.rejects(put(f, 'k', small(10), 20), /10 bytes but its declared length is 20/);
      assert.deepEqual((await f.objects.getObject(f.bucket, 'k')).inlineBody(), small(5, 9));
      assert.equal(bodyRows(f), 1);
      assert.deepEqual(await f.blobIds(), []);
    }),
  );

  it(
    'copy of an inline object is inline; copy of a small blob object is inline; UploadPartCopy reads inline bodies',
    withFixture(async (f) => {
      await put(f, 'src', Buffer.from('inline source'));
      const c = await f.objects.copyObject(f.bucket, 'dst', { source: { bucket: f.bucket, key: 'src' } });
      assert.equal(c.etag, md5('inline source'));
      assert.deepEqual(await f.blobIds(), []);
      await f.objects.deleteObject(f.bucket, 'src');
      assert.equal(await text((await f.objects.getObject(f.bucket, 'dst')).open()), 'inline source');
      await put(f, 'blobsrc', Buffer.from('small but in a blob'), null);
      await f.objects.copyObject(f.bucket, 'dst', { source: { bucket: f.bucket, key: 'blobsrc' } });
      assert.equal((await f.blobIds()).length, 1, 'only the source blob; the copy is inline');
      assert.equal((await f.objects.getObject(f.bucket, 'dst')).inlineBody()?.toString(), 'small but in a blob');
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'mp');
      const part = await f.multipart.uploadPartCopy(f.bucket, 'mp', uploadId, 1, {
        source: { bucket: f.bucket, key: 'dst' },
        range: { start: 6, end: 9 },
      });
      assert.equal(part.etag, md5('but '));
      await f.multipart.completeMultipartUpload(f.bucket, 'mp', uploadId, [{ partNumber: 1, etag: part.etag }]);
      assert.equal(await text((await f.objects.getObject(f.bucket, 'mp')).open()), 'but ');
    }),
  );
});

describe('inline objects and crashes', () => {
  it('kill -9 of a process that acknowledged inline PUTs loses none of them', async () => {
    const f = await objectsFixture('NeverEnabled', true);
    try {
      await f.store.close(); // the child owns the database now
      const child = spawn(
        process.execPath,
        [
          fileURLToPath(new URL('./objectsInlineCrashChild.js', import.meta.url)),
          f.root,
          f.metaPath,
          f.bucket.id,
          '20000',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const acked = new Map<string, string>();
      let buffered = '';
      let stderr = '';
      const take = (lines: string[]) => {
        for (const l of lines) {
          const [tag, key, hash] = l.split(' ');
          if (tag === 'ack' && key && hash) acked.set(key, hash);
        }
      };
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child acknowledged only ${acked.size} PUTs in 20 s: ${stderr}`)),
          20_000,
        );
        child.stdout.on('data', (c: Buffer) => {
          buffered += c.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          take(lines);
          if (acked.size >= 300) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => {
          if (acked.size < 300) {
            clearTimeout(timer);
            reject(new Error(`child exited (${code}) early: ${stderr}`));
          }
        });
      });
      child.kill('SIGKILL');
      await exited;
      take(buffered.split('\n'));
      const store = new SqliteMetadataStore({ path: f.metaPath });
      const objects = new ObjectService({ store, blobs: f.blobs, clock: Date.now });
      try {
        const wrong: string[] = [];
        for (const [key, hash] of acked) {
          const got = await objects.getObject(f.bucket, key).then(
            (r) => md5(r.inlineBody() ?? Buffer.alloc(0)),
            () => 'missing',
          );
          if (got !== hash) wrong.push(`${key}: ${got}`);
        }
        assert.deepEqual(wrong, [], `${wrong.length} of ${acked.size} acknowledged PUTs were lost or torn`);
        assert.deepEqual(await f.blobIds(), [], 'inline PUTs never wrote a blob');
      } finally {
        await store.close();
      }
    } finally {
      await f.cleanup();
    }
  });
});

describe('a write whose commit is not known durable', () => {
  it('keeps the blob its committed row may reference (the sweep decides), and says so', async () => {
    const f = await objectsFixture();
    try {
      const store = {
        read: f.store.read.bind(f.store),
        close: f.store.close.bind(f.store),
        transaction: <T>(fn: Parameters<typeof f.store.transaction<T>>[0]) =>
          f.store.transaction(fn).then((): T => {
            throw Object.assign(
              new Error('the metadata transaction committed but could not be made durable (WAL fsync failed): EIO'),
              { committed: true },
            );
          }),
      };
      const objects = new ObjectService({ store, blobs: f.blobs, clock: () => f.now.ms });
      await assert.rejects(objects.putObject(f.bucket, 'k', body(small(100_000))), /could not be made durable/);
      const [blob] = await f.blobIds();
      assert.ok(blob, 'the blob was kept');
      const row = await f.objects.getObject(f.bucket, 'k');
      assert.equal(row.object.segments[0]?.blobId, blob, 'the committed row references it');
    } finally {
      await f.cleanup();
    }
  });
});
