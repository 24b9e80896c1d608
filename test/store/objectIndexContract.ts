import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectRecord, UploadRecord } from '../../src/domain/ports/objectRecords.js';
import type { MetadataStore, MetadataTx } from '../../src/domain/ports/MetadataStore.js';
import type { ListCursor } from '../../src/domain/ports/ObjectIndexRepo.js';

export interface MetadataFixture {
  store: MetadataStore;
  cleanup(): Promise<void>;
  /** Creates a bucket row the way the control plane does (for bucketExists). */
  createBucket(tx: MetadataTx, bucketId: string): Promise<void>;
}

let counter = 0;
/** A distinct fake blob id (the index never looks inside). */
export const fakeBlob = (): string => `blob${String(++counter).padStart(28, '0')}`;

export function objectRow(bucketId: string, key: string, o: Partial<ObjectRecord> = {}): ObjectRecord {
  const blobId = fakeBlob();
  return {
    bucketId,
    key,
    versionId: 'null',
    isLatest: true,
    isDeleteMarker: false,
    size: 10,
    etag: 'e'.repeat(32),
    lastModified: 1_700_000_000_000,
    content: {},
    userMetadata: {},
    storageClass: 'STANDARD',
    acl: 'private',
    tags: [],
    partsCount: 0,
    segments: [{ blobId, offset: 0, length: o.size ?? 10, partNumber: 0 }],
    ...o,
  };
}

export const uploadRow = (bucketId: string, key: string, uploadId: string, initiated = 1): UploadRecord => ({
  uploadId,
  bucketId,
  key,
  initiated,
  content: { contentType: 'text/plain' },
  userMetadata: { a: 'b' },
  storageClass: 'STANDARD',
  acl: 'private',
  tags: [],
});

export const byteOrder = (keys: string[]): string[] =>
  [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** Every key and common prefix of a full listing walked page by page. */
async function walkAll(
  tx: MetadataTx,
  bucketId: string,
  prefix: string,
  delimiter: string | undefined,
  maxKeys: number,
) {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let after: ListCursor | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const p = await tx.objects.listObjects(bucketId, {
      prefix,
      ...(delimiter ? { delimiter } : {}),
      maxKeys,
      ...(after ? { after } : {}),
    });
    assert.ok(p.contents.length + p.commonPrefixes.length <= maxKeys);
    keys.push(...p.contents.map((c) => c.key));
    prefixes.push(...p.commonPrefixes);
    if (!p.isTruncated) return { keys, prefixes, pages: pages + 1 };
    after = p.next;
  }
  throw new Error('listing did not end within 10,000 pages');
}

/** The contract of ObjectIndexRepo; `make` builds an empty, migrated store. */
export function objectIndexContract(name: string, make: () => Promise<MetadataFixture>): void {
  const withTx = (fn: (tx: MetadataTx) => Promise<void>) => async () => {
    const f = await make();
    try {
      await f.store.transaction(async (tx) => {
        // Object rows belong to an existing bucket (PostgreSQL enforces it with a foreign key).
        await f.createBucket(tx, 'bk');
        await f.createBucket(tx, 'keep');
        await fn(tx);
      });
    } finally {
      await f.store.close();
      await f.cleanup();
    }
  };

  describe(`ObjectIndexRepo contract: ${name}`, () => {
    it(
      'lists keys in UTF-8 byte order, keeping raw keys exactly',
      withTx(async (tx) => {
        const keys = [
          'a',
          'a/',
          'a/b',
          'a%2Fb',
          'a//b',
          'b',
          'é',
          'z',
          '\u{1F600}',
          '\uFFFD',
          'A',
          ' space',
          'a.b',
          '日本',
          'a b',
        ];
        for (const k of keys) await tx.objects.putObject(objectRow('bk', k));
        const p = await tx.objects.listObjects('bk', { prefix: '', maxKeys: 1000 });
        assert.deepEqual(
          p.contents.map((c) => c.key),
          byteOrder(keys),
        );
        assert.equal(p.isTruncated, false);
        // U+1F600 sorts after U+FFFD in UTF-8 (F0.. > EF..), unlike UTF-16 string order.
        const ks = p.contents.map((c) => c.key);
        assert.ok(ks.indexOf('\u{1F600}') > ks.indexOf('\uFFFD'));
        const other = await tx.objects.listObjects('other', { prefix: '', maxKeys: 1000 });
        assert.equal(other.contents.length, 0, 'another bucket sees nothing');
      }),
    );

    it(
      'rolls keys up into common prefixes with a delimiter',
      withTx(async (tx) => {
        const keys = [
          'photos/2024/a.jpg',
          'photos/2024/b.jpg',
          'photos/2025/c.jpg',
          'photos/x.jpg',
          'readme',
          'photos//double',
          'trailing/',
          'photos/',
        ];
        for (const k of keys) await tx.objects.putObject(objectRow('bk', k));
        const p = await tx.objects.listObjects('bk', { prefix: 'photos/', delimiter: '/', maxKeys: 1000 });
        assert.deepEqual(
          p.contents.map((c) => c.key),
          ['photos/', 'photos/x.jpg'],
        );
        assert.deepEqual(p.commonPrefixes, ['photos//', 'photos/2024/', 'photos/2025/']);
        const top = await tx.objects.listObjects('bk', { prefix: '', delimiter: '/', maxKeys: 1000 });
        assert.deepEqual(
          top.contents.map((c) => c.key),
          ['readme'],
        );
        assert.deepEqual(top.commonPrefixes, ['photos/', 'trailing/']);
        const multi = await tx.objects.listObjects('bk', { prefix: 'photos/20', delimiter: '4/', maxKeys: 1000 });
        assert.deepEqual(multi.commonPrefixes, ['photos/2024/']);
        assert.deepEqual(
          multi.contents.map((c) => c.key),
          ['photos/2025/c.jpg'],
        );
        const enc = await tx.objects.listObjects('bk', { prefix: 'photos/2024/a', maxKeys: 1000 });
        assert.deepEqual(
          enc.contents.map((c) => c.key),
          ['photos/2024/a.jpg'],
        );
      }),
    );

    it(
      'pages through 2,500 keys in 1,000-key pages, with and without a delimiter',
      withTx(async (tx) => {
        const keys: string[] = [];
        for (let d = 0; d < 5; d++) for (let i = 0; i < 400; i++) keys.push(`dir${d}/f${String(i).padStart(4, '0')}`);
        for (let i = 0; i < 500; i++) keys.push(`top${String(i).padStart(4, '0')}`);
        for (const k of keys) await tx.objects.putObject(objectRow('bk', k));
        const flat = await walkAll(tx, 'bk', '', undefined, 1000);
        assert.deepEqual(flat.keys, byteOrder(keys));
        assert.equal(flat.pages, 3);
        const rolled = await walkAll(tx, 'bk', '', '/', 3);
        assert.deepEqual(rolled.prefixes, ['dir0/', 'dir1/', 'dir2/', 'dir3/', 'dir4/']);
        assert.equal(rolled.keys.length, 500);
        const first = await tx.objects.listObjects('bk', { prefix: '', delimiter: '/', maxKeys: 1000 });
        assert.equal(first.contents.length + first.commonPrefixes.length, 505);
        assert.equal(first.isTruncated, false);
        assert.ok(first.rowsRead <= 506, `rowsRead ${first.rowsRead} must not grow with the keys under prefixes`);
      }),
    );

    it(
      'resumes after a key or past a whole common prefix',
      withTx(async (tx) => {
        for (const k of ['a/1', 'a/2', 'b', 'c/1']) await tx.objects.putObject(objectRow('bk', k));
        const afterKey = await tx.objects.listObjects('bk', {
          prefix: '',
          maxKeys: 10,
          after: { key: 'a/1', skipPrefix: false },
        });
        assert.deepEqual(
          afterKey.contents.map((c) => c.key),
          ['a/2', 'b', 'c/1'],
        );
        const afterCp = await tx.objects.listObjects('bk', {
          prefix: '',
          delimiter: '/',
          maxKeys: 10,
          after: { key: 'a/', skipPrefix: true },
        });
        assert.deepEqual(
          afterCp.contents.map((c) => c.key),
          ['b'],
        );
        assert.deepEqual(afterCp.commonPrefixes, ['c/']);
        const p1 = await tx.objects.listObjects('bk', { prefix: '', delimiter: '/', maxKeys: 1 });
        assert.deepEqual(p1.commonPrefixes, ['a/']);
        assert.deepEqual(p1.next, { key: 'a/', skipPrefix: true });
      }),
    );

    it(
      'overwriting the null version returns the old blobs; versions keep theirs',
      withTx(async (tx) => {
        const first = objectRow('bk', 'k');
        assert.deepEqual((await tx.objects.putObject(first)).freedBlobIds, []);
        const second = objectRow('bk', 'k', { size: 20, etag: 'f'.repeat(32) });
        assert.deepEqual((await tx.objects.putObject(second)).freedBlobIds, [first.segments[0].blobId]);
        const got = await tx.objects.getObject('bk', 'k', undefined, true);
        assert.equal(got?.size, 20);
        assert.deepEqual(got?.segments, second.segments);
        const v1 = objectRow('bk', 'k', { versionId: 'v1' });
        assert.deepEqual((await tx.objects.putObject(v1)).freedBlobIds, []);
        const latest = await tx.objects.getObject('bk', 'k', undefined, false);
        assert.equal(latest?.versionId, 'v1');
        assert.equal((await tx.objects.getObject('bk', 'k', 'null', false))?.isLatest, false);
        const del = await tx.objects.deleteVersion('bk', 'k', 'v1');
        assert.deepEqual(del.freedBlobIds, [v1.segments[0].blobId]);
        assert.equal((await tx.objects.getObject('bk', 'k', undefined, false))?.versionId, 'null');
        assert.equal((await tx.objects.getObject('bk', 'k', undefined, false))?.isLatest, true);
        assert.deepEqual((await tx.objects.deleteVersion('bk', 'k', 'nope')).freedBlobIds, []);
      }),
    );

    it(
      'keeps a multipart object as ordered segments and frees them all on overwrite',
      withTx(async (tx) => {
        const segs = [1, 2, 3].map((n) => ({
          blobId: fakeBlob(),
          offset: 0,
          length: n === 3 ? 7 : 5 << 20,
          partNumber: n,
          ...(n === 2 ? { checksum: 'AAAAAA==' } : {}),
        }));
        const size = segs.reduce((s, x) => s + x.length, 0);
        await tx.objects.putObject(
          objectRow('bk', 'mp', { segments: segs, size, partsCount: 3, etag: 'a'.repeat(32) + '-3' }),
        );
        const full = await tx.objects.getObject('bk', 'mp', undefined, true);
        assert.deepEqual(full?.segments, segs);
        assert.equal(full?.partsCount, 3);
        assert.deepEqual((await tx.objects.getObject('bk', 'mp', undefined, false))?.segments, []);
        const refs = await tx.objects.referencedBlobIds([...segs.map((s) => s.blobId), 'unknown']);
        assert.deepEqual([...refs].sort(), segs.map((s) => s.blobId).sort());
        const { freedBlobIds } = await tx.objects.putObject(objectRow('bk', 'mp'));
        assert.deepEqual([...freedBlobIds].sort(), segs.map((s) => s.blobId).sort());
      }),
    );

    it(
      'stores every attribute and updates tags and ACL in place',
      withTx(async (tx) => {
        const o = objectRow('bk', 'attrs', {
          content: {
            contentType: 'image/png',
            cacheControl: 'no-cache',
            contentDisposition: 'inline',
            contentEncoding: 'gzip',
            contentLanguage: 'en',
            expires: 'Wed, 21 Oct 2015 07:28:00 GMT',
          },
          userMetadata: { color: 'blue', 'x-y': 'z' },
          checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' },
          tags: [{ key: 't', value: 'v' }],
          acl: 'public-read',
        });
        await tx.objects.putObject(o);
        const got = await tx.objects.getObject('bk', 'attrs', undefined, true);
        assert.deepEqual(got, { ...o, isLatest: true });
        assert.equal(await tx.objects.setObjectTags('bk', 'attrs', 'null', []), true);
        assert.equal(await tx.objects.setObjectAcl('bk', 'attrs', 'null', 'private'), true);
        assert.equal(await tx.objects.setObjectAcl('bk', 'attrs', 'v9', 'private'), false);
        const after = await tx.objects.getObject('bk', 'attrs', undefined, false);
        assert.deepEqual([after?.tags, after?.acl], [[], 'private']);
      }),
    );

    it(
      'lists each object with its size, ETag, date, storage class and checksum algorithm and type as stored',
      withTx(async (tx) => {
        await tx.objects.putObject(
          objectRow('bk', 'plain', { size: 7, etag: 'a'.repeat(32), lastModified: 1_700_000_000_123 }),
        );
        await tx.objects.putObject(
          objectRow('bk', 'sha1', { checksum: { algorithm: 'SHA1', value: 'AAAA', type: 'FULL_OBJECT' } }),
        );
        await tx.objects.putObject(
          objectRow('bk', 'both', {
            etag: 'b'.repeat(32) + '-3',
            checksum: { algorithm: 'CRC64NVME', value: 'AAAA', type: 'FULL_OBJECT' },
          }),
        );
        await tx.objects.putObject(
          objectRow('bk', 'composite', { checksum: { algorithm: 'CRC32C', value: 'AAAA-2', type: 'COMPOSITE' } }),
        );
        const p = await tx.objects.listObjects('bk', { prefix: '', maxKeys: 1000 });
        const base = { size: 10, etag: 'e'.repeat(32), lastModified: 1_700_000_000_000, storageClass: 'STANDARD' };
        assert.deepEqual(p.contents, [
          {
            ...base,
            key: 'both',
            etag: 'b'.repeat(32) + '-3',
            checksumAlgorithm: 'CRC64NVME',
            checksumType: 'FULL_OBJECT',
          },
          { ...base, key: 'composite', checksumAlgorithm: 'CRC32C', checksumType: 'COMPOSITE' },
          { ...base, key: 'plain', size: 7, etag: 'a'.repeat(32), lastModified: 1_700_000_000_123 },
          { ...base, key: 'sha1', checksumAlgorithm: 'SHA1', checksumType: 'FULL_OBJECT' },
        ]);
      }),
    );

    it(
      'hides delete markers from listings but lists them as versions, newest first',
      withTx(async (tx) => {
        await tx.objects.putObject(objectRow('bk', 'x', { versionId: 'v1' }));
        await tx.objects.putObject(objectRow('bk', 'x', { versionId: 'v2' }));
        await tx.objects.putObject(
          objectRow('bk', 'x', { versionId: 'dm', isDeleteMarker: true, size: 0, segments: [] }),
        );
        await tx.objects.putObject(objectRow('bk', 'y', { versionId: 'w1' }));
        const live = await tx.objects.listObjects('bk', { prefix: '', maxKeys: 100 });
        assert.deepEqual(
          live.contents.map((c) => c.key),
          ['y'],
        );
        const all = await tx.objects.listObjectVersions('bk', { prefix: '', maxKeys: 100 });
        assert.deepEqual(
          all.versions.map((v) => `${v.key}:${v.versionId}:${v.isLatest}:${v.isDeleteMarker}`),
          ['x:dm:true:true', 'x:v2:false:false', 'x:v1:false:false', 'y:w1:true:false'],
        );
        const p1 = await tx.objects.listObjectVersions('bk', { prefix: '', maxKeys: 2 });
        assert.deepEqual([p1.isTruncated, p1.nextKeyMarker, p1.nextVersionIdMarker], [true, 'x', 'v2']);
        const p2 = await tx.objects.listObjectVersions('bk', {
          prefix: '',
          maxKeys: 2,
          keyMarker: 'x',
          versionIdMarker: 'v2',
        });
        assert.deepEqual(
          p2.versions.map((v) => v.versionId),
          ['v1', 'w1'],
        );
        assert.equal(p2.isTruncated, false);
        const afterX = await tx.objects.listObjectVersions('bk', { prefix: '', maxKeys: 10, keyMarker: 'x' });
        assert.deepEqual(
          afterX.versions.map((v) => v.versionId),
          ['w1'],
        );
        assert.equal(await tx.objects.hasContents('bk'), true);
        assert.deepEqual(await tx.objects.bucketStats('bk'), { sizeBytes: 30, objectCount: 3 });
        // The same totals a slice at a time (one row per slice: versions of a key stay together).
        const first = await tx.objects.bucketStatsSlice('bk', undefined, 1);
        assert.ok(first.cursor !== undefined);
        let total = { sizeBytes: first.sizeBytes, objectCount: first.objectCount };
        let cursor: string | undefined = first.cursor;
        while (cursor !== undefined) {
          const s = await tx.objects.bucketStatsSlice('bk', cursor, 1);
          total = { sizeBytes: total.sizeBytes + s.sizeBytes, objectCount: total.objectCount + s.objectCount };
          cursor = s.cursor;
        }
        assert.deepEqual(total, { sizeBytes: 30, objectCount: 3 });
        assert.deepEqual(await tx.objects.bucketStatsSlice('bk', undefined, 1000), { sizeBytes: 30, objectCount: 3 });
      }),
    );

    it(
      'keeps uploads and parts: replace, list with markers, delete',
      withTx(async (tx) => {
        await tx.objects.insertUpload(uploadRow('bk', 'k1', 'u1', 1));
        await tx.objects.insertUpload(uploadRow('bk', 'k1', 'u2', 2));
        await tx.objects.insertUpload(uploadRow('bk', 'k2', 'u3', 3));
        await tx.objects.insertUpload(uploadRow('bk', 'd/k', 'u4', 4));
        assert.equal(await tx.objects.getUpload('bk', 'k2', 'u1'), undefined, 'wrong key');
        assert.equal(await tx.objects.getUpload('other', 'k1', 'u1'), undefined, 'wrong bucket');
        assert.deepEqual(await tx.objects.getUpload('bk', 'k1', 'u1'), uploadRow('bk', 'k1', 'u1', 1));
        const part = (n: number, blobId = fakeBlob()) => ({
          uploadId: 'u1',
          partNumber: n,
          blobId,
          size: 100 * n,
          etag: 'p'.repeat(32),
          lastModified: 5,
        });
        for (const n of [3, 1, 2]) assert.deepEqual((await tx.objects.putPart(part(n))).freedBlobIds, []);
        const before = await tx.objects.getParts('u1');
        assert.deepEqual(
          before.map((p) => p.partNumber),
          [1, 2, 3],
        );
        const replaced = await tx.objects.putPart({ ...part(2), checksum: { algorithm: 'SHA256', value: 'abc=' } });
        assert.deepEqual(replaced.freedBlobIds, [before[1].blobId]);
        assert.deepEqual((await tx.objects.getParts('u1'))[1].checksum, { algorithm: 'SHA256', value: 'abc=' });
        const lp = await tx.objects.listParts('u1', 0, 2);
        assert.deepEqual(
          [lp.parts.map((p) => p.partNumber), lp.isTruncated, lp.nextPartNumberMarker],
          [[1, 2], true, 2],
        );
        const lp2 = await tx.objects.listParts('u1', 2, 2);
        assert.deepEqual([lp2.parts.map((p) => p.partNumber), lp2.isTruncated], [[3], false]);
        const all = await tx.objects.listUploads('bk', { prefix: '', maxUploads: 10 });
        assert.deepEqual(
          all.uploads.map((u) => u.uploadId),
          ['u4', 'u1', 'u2', 'u3'],
        );
        const rolled = await tx.objects.listUploads('bk', { prefix: '', delimiter: '/', maxUploads: 10 });
        assert.deepEqual([rolled.commonPrefixes, rolled.uploads.map((u) => u.uploadId)], [['d/'], ['u1', 'u2', 'u3']]);
        const pg = await tx.objects.listUploads('bk', {
          prefix: 'k',
          maxUploads: 1,
          keyMarker: 'k1',
          uploadIdMarker: 'u1',
        });
        assert.deepEqual(
          [pg.uploads.map((u) => u.uploadId), pg.isTruncated, pg.nextKeyMarker, pg.nextUploadIdMarker],
          [['u2'], true, 'k1', 'u2'],
        );
        const pg2 = await tx.objects.listUploads('bk', { prefix: 'k', maxUploads: 5, keyMarker: 'k1' });
        assert.deepEqual(
          pg2.uploads.map((u) => u.uploadId),
          ['u3'],
        );
        assert.deepEqual((await tx.objects.bucketStats('bk')).sizeBytes, 600);
        const blobs = await tx.objects.deleteUpload('u1');
        assert.equal(blobs.length, 3);
        assert.deepEqual(await tx.objects.getParts('u1'), []);
        assert.equal(await tx.objects.getUpload('bk', 'k1', 'u1'), undefined);
      }),
    );

    it(
      'empties a bucket, returning every blob; hasContents and stats follow',
      withTx(async (tx) => {
        assert.equal(await tx.objects.hasContents('bk'), false);
        assert.equal(await tx.objects.bucketExists('bk'), true);
        assert.equal(await tx.objects.bucketExists('nope'), false);
        const a = objectRow('bk', 'a');
        const segs = [1, 2].map((n) => ({ blobId: fakeBlob(), offset: 0, length: 4, partNumber: n }));
        await tx.objects.putObject(a);
        await tx.objects.putObject(objectRow('bk', 'm', { segments: segs, size: 8, partsCount: 2 }));
        await tx.objects.insertUpload(uploadRow('bk', 'u', 'up1'));
        const pb = fakeBlob();
        await tx.objects.putPart({ uploadId: 'up1', partNumber: 1, blobId: pb, size: 3, etag: 'x', lastModified: 1 });
        await tx.objects.putObject(objectRow('keep', 'a'));
        // The unfinished upload's part counts as an object (AWS's NumberOfObjects) and its bytes.
        assert.deepEqual(await tx.objects.bucketStats('bk'), { sizeBytes: 21, objectCount: 3 });
        assert.equal(await tx.objects.hasObjects('bk'), true);
        const freed = await tx.objects.deleteAllInBucket('bk');
        assert.deepEqual([...freed].sort(), [a.segments[0].blobId, ...segs.map((s) => s.blobId), pb].sort());
        assert.equal(await tx.objects.hasContents('bk'), false);
        assert.equal(await tx.objects.hasContents('keep'), true);
        await tx.objects.insertUpload(uploadRow('bk', 'u2', 'up2'));
        assert.equal(await tx.objects.hasContents('bk'), true, 'an unfinished upload is content');
        assert.equal(await tx.objects.hasObjects('bk'), false, 'but not an object');
        assert.deepEqual(await tx.objects.bucketStats('bk'), { sizeBytes: 0, objectCount: 0 });
        assert.deepEqual(await tx.objects.referencedBlobIds([pb, a.segments[0].blobId]), new Set());
      }),
    );

    it(
      'matches a naive model of prefix/delimiter listing over random keys and page sizes',
      withTx(async (tx) => {
        let seed = 42;
        const rnd = (n: number) => {
          seed = (seed * 48271) % 2147483647;
          return seed % n;
        };
        const alphabet = ['a', 'b', '/', '-', 'é', '\u{1F600}', '\uFFFD', '.'];
        const keys = new Set<string>();
        for (let tries = 0; keys.size < 400 && tries < 100_000; tries++) {
          let k = '';
          const len = 1 + rnd(7);
          for (let i = 0; i < len; i++) k += alphabet[rnd(alphabet.length)];
          keys.add(k);
        }
        for (const k of keys) await tx.objects.putObject(objectRow('bk', k));
        const sorted = byteOrder([...keys]);
        for (let trial = 0; trial < 40; trial++) {
          const prefix =
            trial % 4 === 0
              ? ''
              : alphabet[rnd(alphabet.length)] + (trial % 3 === 0 ? alphabet[rnd(alphabet.length)] : '');
          const delimiter = trial % 5 === 0 ? undefined : ['/', 'b', '-/', '\u{1F600}'][rnd(4)];
          const expected: string[] = [];
          for (const k of sorted) {
            if (!k.startsWith(prefix)) continue;
            const at = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
            const entry = at >= 0 ? 'P:' + k.slice(0, at + delimiter!.length) : 'K:' + k;
            if (expected[expected.length - 1] !== entry) expected.push(entry);
          }
          const pageSize = 1 + rnd(30);
          const got = await walkAll(tx, 'bk', prefix, delimiter, pageSize);
          const gotEntries = byteOrder([...got.keys, ...got.prefixes]).map(
            (e) => (got.prefixes.includes(e) ? 'P:' : 'K:') + e,
          );
          const expSorted = [...expected].sort((x, y) =>
            Buffer.compare(Buffer.from(x.slice(2)), Buffer.from(y.slice(2))),
          );
          assert.deepEqual(
            gotEntries,
            expSorted,
            `prefix ${JSON.stringify(prefix)} delimiter ${JSON.stringify(delimiter)} page ${pageSize}`,
          );
          assert.equal(
            got.pages,
            Math.max(1, Math.ceil(expected.length / pageSize)),
            'pages carry exactly maxKeys entries until the last',
          );
        }
      }),
    );

    it(
      'checks referenced blobs in chunks beyond one query',
      withTx(async (tx) => {
        const rows = Array.from({ length: 1200 }, (_, i) => objectRow('bk', `k${i}`));
        for (const r of rows) await tx.objects.putObject(r);
        const ids = rows.map((r) => r.segments[0].blobId);
        const candidates = [...ids, ...Array.from({ length: 300 }, () => fakeBlob())];
        const refs = await tx.objects.referencedBlobIds(candidates);
        assert.equal(refs.size, 1200);
        assert.ok(ids.every((id) => refs.has(id)));
      }),
    );

    it(
      'replaces the null version with every kind of body and with a delete marker, keeping listings and versions right',
      withTx(async (tx) => {
        const inlineRow = (b: string, o: Partial<ObjectRecord> = {}) =>
          objectRow('bk', 'n', {
            size: b.length,
            segments: [{ blobId: '', offset: 0, length: b.length, partNumber: 0, inline: Buffer.from(b) }],
            ...o,
          });
        const body = async () =>
          (await tx.objects.getObject('bk', 'n', undefined, true))?.segments.map(
            (s) => s.inline?.toString() ?? s.blobId,
          );
        const listed = async () =>
          (await tx.objects.listObjects('bk', { prefix: '', maxKeys: 10 })).contents.map((c) => `${c.key}:${c.size}`);
        await tx.objects.putObject(
          inlineRow('first', { content: { contentType: 'text/plain' }, tags: [{ key: 't', value: 'v' }] }),
        );
        assert.deepEqual((await tx.objects.putObject(inlineRow('second!'))).freedBlobIds, []);
        const got = await tx.objects.getObject('bk', 'n', undefined, true);
        assert.deepEqual(
          [got?.size, got?.content, got?.tags, await body()],
          [7, {}, [], ['second!']],
          'every column rewritten',
        );
        const segs = [1, 2].map((n) => ({ blobId: fakeBlob(), offset: 0, length: 5, partNumber: n }));
        assert.deepEqual(
          (await tx.objects.putObject(objectRow('bk', 'n', { segments: segs, size: 10, partsCount: 2 }))).freedBlobIds,
          [],
        );
        assert.deepEqual(
          await body(),
          segs.map((s) => s.blobId),
        );
        assert.deepEqual(
          [...(await tx.objects.putObject(inlineRow('third'))).freedBlobIds].sort(),
          segs.map((s) => s.blobId).sort(),
        );
        assert.deepEqual(await body(), ['third']);
        assert.equal(
          (await tx.objects.referencedBlobIds(segs.map((s) => s.blobId))).size,
          0,
          'the old segments are gone',
        );
        assert.deepEqual(await listed(), ['n:5']);
        // Versioning suspended: a null delete marker replaces the null object, then an object replaces the marker.
        await tx.objects.putObject(objectRow('bk', 'n', { isDeleteMarker: true, size: 0, segments: [] }));
        assert.deepEqual(await listed(), [], 'a delete marker is not listed');
        assert.equal((await tx.objects.getObject('bk', 'n', undefined, true))?.isDeleteMarker, true);
        assert.deepEqual(await tx.objects.bucketStats('bk'), { sizeBytes: 0, objectCount: 0 });
        const blob = objectRow('bk', 'n');
        await tx.objects.putObject(blob);
        assert.deepEqual(await listed(), ['n:10']);
        assert.deepEqual(await body(), [blob.segments[0].blobId]);
        // A versioned object above the null version: the null version is not the latest, and is replaced below it.
        await tx.objects.putObject(objectRow('bk', 'n', { versionId: 'v1', size: 3 }));
        assert.deepEqual((await tx.objects.putObject(inlineRow('fourth'))).freedBlobIds, [blob.segments[0].blobId]);
        const versions = await tx.objects.listObjectVersions('bk', { prefix: '', maxKeys: 10 });
        assert.deepEqual(
          versions.versions.map((v) => `${v.versionId}:${v.isLatest}:${v.size}`),
          ['null:true:6', 'v1:false:3'],
        );
        assert.deepEqual(await body(), ['fourth']);
        assert.deepEqual(await listed(), ['n:6']);
      }),
    );

    it(
      'keeps inline bodies with their rows: loaded only with segments, freed with the row, never a blob',
      withTx(async (tx) => {
        const inlineRow = (key: string, b: Buffer, o: Partial<ObjectRecord> = {}) =>
          objectRow('bk', key, {
            size: b.length,
            segments: [{ blobId: '', offset: 0, length: b.length, partNumber: 0, inline: b }],
            ...o,
          });
        const body = Buffer.from('inline body bytes');
        assert.deepEqual((await tx.objects.putObject(inlineRow('k', body))).freedBlobIds, []);
        const got = await tx.objects.getObject('bk', 'k', undefined, true);
        assert.deepEqual(
          got?.segments.map((s) => [s.blobId, s.length, s.inline?.toString()]),
          [['', body.length, 'inline body bytes']],
        );
        assert.deepEqual(
          (await tx.objects.getObject('bk', 'k', undefined, false))?.segments,
          [],
          'no body without segments',
        );
        const blobRow = objectRow('bk', 'k');
        const blobId = blobRow.segments[0].blobId;
        assert.deepEqual(
          (await tx.objects.putObject(blobRow)).freedBlobIds,
          [],
          'a blob replacing an inline body frees no blob',
        );
        assert.deepEqual(
          (await tx.objects.putObject(inlineRow('k', body))).freedBlobIds,
          [blobId],
          'an inline body replacing a blob frees it',
        );
        assert.equal((await tx.objects.referencedBlobIds([blobId])).size, 0);
        await tx.objects.putObject(inlineRow('v', Buffer.from('one'), { versionId: 'v1' }));
        await tx.objects.putObject(inlineRow('v', Buffer.from('two!'), { versionId: 'v2' }));
        assert.equal((await tx.objects.getObject('bk', 'v', 'v1', true))?.segments[0]?.inline?.toString(), 'one');
        assert.deepEqual((await tx.objects.deleteVersion('bk', 'v', 'v2')).freedBlobIds, []);
        assert.equal((await tx.objects.getObject('bk', 'v', undefined, true))?.segments[0]?.inline?.toString(), 'one');
        assert.equal((await tx.objects.bucketStats('bk')).sizeBytes, body.length + 3);
        await assert.rejects(
          tx.objects.putObject(
            objectRow('bk', 'bad', {
              size: 5,
              segments: [{ blobId: '', offset: 0, length: 5, partNumber: 0, inline: Buffer.from('abc') }],
            }),
          ),
          /inline body must be the whole/,
        );
        assert.deepEqual(await tx.objects.deleteAllInBucket('bk'), []);
        assert.equal(await tx.objects.getObject('bk', 'k', undefined, true), undefined);
      }),
    );
  });
}
