import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { body, objectsFixture, reason, text } from './objectsFixture.js';

describe('ObjectService versioning states and concurrency', () => {
  it('Suspended: writes and deletes replace the null version, older versions stay', async () => {
    const f = await objectsFixture('Enabled');
    try {
      const v1 = await f.objects.putObject(f.bucket, 'k', body('versioned'));
      const suspended = { ...f.bucket, objectVersioning: 'Suspended' as const };
      const n1 = await f.objects.putObject(suspended, 'k', body('null one'));
      assert.equal(n1.versionId, 'null');
      await f.objects.putObject(suspended, 'k', body('null two'));
      assert.equal((await f.blobIds()).length, 2, 'the first null version was replaced and freed');
      const del = await f.objects.deleteObject(suspended, 'k');
      assert.deepEqual(del, { versionId: 'null', deleteMarker: true });
      assert.equal((await f.blobIds()).length, 1, 'the null delete marker replaced the null version');
      await assert.rejects(f.objects.getObject(suspended, 'k'), reason('NoSuchKey'));
      assert.equal(
        await text((await f.objects.getObject(suspended, 'k', { versionId: v1.versionId })).open()),
        'versioned',
      );
      const versions = await f.objects.listObjectVersions(suspended, {});
      assert.deepEqual(
        versions.versions.map((v) => [v.versionId === 'null' ? 'null' : 'v1', v.isDeleteMarker, v.isLatest]),
        [
          ['null', true, true],
          ['v1', false, false],
        ],
      );
      assert.equal((await f.objects.listObjectsV2(suspended, {})).keyCount, 0);
    } finally {
      await f.cleanup();
    }
  });

  it('concurrent PUTs of one key leave exactly one object and one blob', async () => {
    const f = await objectsFixture();
    try {
      const bodies = Array.from({ length: 12 }, (_, i) => `body number ${i}`);
      await Promise.all(bodies.map((b) => f.objects.putObject(f.bucket, 'hot', body(b))));
      const got = await text((await f.objects.getObject(f.bucket, 'hot')).open());
      assert.ok(bodies.includes(got), `unexpected body ${got}`);
      assert.equal((await f.blobIds()).length, 1);
      const stats = await f.store.read((tx) => tx.objects.bucketStats(f.bucket.id));
      assert.deepEqual(stats, { sizeBytes: Buffer.byteLength(got), objectCount: 1 });
    } finally {
      await f.cleanup();
    }
  });
});
