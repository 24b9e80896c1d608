import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objectRow } from '../store/objectIndexContract.js';
import { objectsFixture, reason, type ObjectsFixture } from './objectsFixture.js';

/** Inserts `dirs` x `perDir` keys straight into the index (the listing never reads blobs). */
async function seed(f: ObjectsFixture, dirs: number, perDir: number): Promise<void> {
  await f.store.transaction(async (tx) => {
    for (let d = 0; d < dirs; d++) {
      for (let i = 0; i < perDir; i++)
        await tx.objects.putObject(
          objectRow(f.bucket.id, `d${String(d).padStart(3, '0')}/f${String(i).padStart(5, '0')}`),
        );
    }
    for (let i = 0; i < 5; i++) await tx.objects.putObject(objectRow(f.bucket.id, `top${i}`));
  });
}

async function rowsForPages(dirs: number, perDir: number) {
  const f = await objectsFixture();
  try {
    await seed(f, dirs, perDir);
    const rolled = await f.objects.listObjectsV2(f.bucket, { delimiter: '/', maxKeys: 1000 });
    const inDir = await f.objects.listObjectsV2(f.bucket, { prefix: 'd001/', delimiter: '/', maxKeys: 10 });
    const tail = await f.objects.listObjectsV2(f.bucket, { delimiter: '/', maxKeys: 3, startAfter: 'd005/' });
    return { rolled, inDir, tail };
  } finally {
    await f.cleanup();
  }
}

describe('ObjectService listings', () => {
  it('reads the same number of rows for a delimiter page at 1k and at 10k keys', async () => {
    const small = await rowsForPages(10, 100);
    const large = await rowsForPages(10, 1000);
    assert.equal(large.rolled.commonPrefixes.length, 10);
    assert.deepEqual(
      large.rolled.contents.map((c) => c.key),
      ['top0', 'top1', 'top2', 'top3', 'top4'],
    );
    assert.equal(large.rolled.isTruncated, false);
    assert.equal(large.rolled.keyCount, 15);
    // One row per entry: the 999 keys under each prefix are skipped by seeking, never read.
    assert.equal(large.rolled.rowsRead, 15);
    assert.equal(small.rolled.rowsRead, large.rolled.rowsRead);
    assert.equal(large.inDir.contents.length, 10);
    assert.equal(large.inDir.rowsRead, 11, 'a 10-key page reads 10 rows and one probe');
    assert.equal(small.inDir.rowsRead, large.inDir.rowsRead);
    assert.deepEqual(large.tail.commonPrefixes, ['d006/', 'd007/', 'd008/']);
    assert.equal(large.tail.rowsRead, 4);
    assert.equal(small.tail.rowsRead, large.tail.rowsRead);
  });

  it('continues with opaque tokens until every key is seen once', async () => {
    const f = await objectsFixture();
    try {
      await seed(f, 3, 700);
      const seen: string[] = [];
      let token: string | undefined;
      for (let i = 0; i < 10; i++) {
        const p = await f.objects.listObjectsV2(f.bucket, {
          maxKeys: 1000,
          ...(token ? { continuationToken: token } : {}),
        });
        seen.push(...p.contents.map((c) => c.key));
        if (!p.isTruncated) break;
        token = p.nextContinuationToken;
      }
      assert.equal(seen.length, 2105);
      assert.equal(new Set(seen).size, 2105);
      await assert.rejects(f.objects.listObjectsV2(f.bucket, { continuationToken: '!!!' }), reason('InvalidArgument'));
      const v1 = await f.objects.listObjects(f.bucket, { delimiter: '/', maxKeys: 2 });
      assert.deepEqual([v1.commonPrefixes, v1.nextMarker], [['d000/', 'd001/'], 'd001/']);
      const v1b = await f.objects.listObjects(f.bucket, { delimiter: '/', maxKeys: 2, marker: v1.nextMarker! });
      assert.deepEqual(v1b.commonPrefixes, ['d002/']);
      assert.deepEqual(
        v1b.contents.map((c) => c.key),
        ['top0'],
      );
      await assert.rejects(f.objects.listObjectsV2(f.bucket, { maxKeys: -1 }), reason('InvalidArgument'));
    } finally {
      await f.cleanup();
    }
  });
});
