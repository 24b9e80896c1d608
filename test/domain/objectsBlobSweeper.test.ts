import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BlobSweeper } from '../../src/domain/objects/blobSweeper.js';
import { body, objectsFixture } from './objectsFixture.js';

describe('BlobSweeper', () => {
  it('removes orphan blobs and stale temp files, keeping every referenced blob', async () => {
    const f = await objectsFixture();
    try {
      await f.objects.putObject(f.bucket, 'live', body('object'));
      const { uploadId } = await f.multipart.createMultipartUpload(f.bucket, 'mp');
      await f.multipart.uploadPart(f.bucket, 'mp', uploadId, 1, body('part'));
      const { uploadId: done } = await f.multipart.createMultipartUpload(f.bucket, 'done');
      const p = await f.multipart.uploadPart(f.bucket, 'done', done, 1, body('segment'));
      await f.multipart.completeMultipartUpload(f.bucket, 'done', done, [{ partNumber: 1, etag: p.etag }]);
      const referenced = await f.blobIds();
      assert.equal(referenced.length, 3);
      const orphanA = await f.blobs.put(body('crashed before commit'));
      const orphanB = await f.blobs.put(body('crashed before free'));
      await writeFile(join(f.root, 'tmp', 'half-written'), 'partial');

      const patient = new BlobSweeper({ store: f.store, blobs: f.blobs, clock: () => Date.now(), graceMs: 3600_000 });
      // The store's size counts every blob (referenced: 6 + 4 + 7 bytes, orphans: 21 + 19).
      assert.deepEqual(
        await patient.sweep(),
        { checked: 0, removed: 0, tempRemoved: 0, blobs: 5, bytes: 57 },
        'young blobs are left alone',
      );

      const startup = new BlobSweeper({ store: f.store, blobs: f.blobs, clock: () => Date.now(), graceMs: 3600_000 });
      assert.deepEqual(
        await startup.start(),
        { checked: 0, removed: 0, tempRemoved: 1, blobs: 5, bytes: 57 },
        'start-up removes every temp file',
      );
      await startup.stop();
      await writeFile(join(f.root, 'tmp', 'half-written'), 'partial');
      const sweeper = new BlobSweeper({
        store: f.store,
        blobs: f.blobs,
        clock: () => Date.now() + 1,
        graceMs: 0,
        batchSize: 2,
      });
      const report = await sweeper.start();
      await sweeper.stop();
      assert.deepEqual(
        report,
        { checked: 5, removed: 2, tempRemoved: 1, blobs: 3, bytes: 17 },
        'orphans leave the size',
      );
      assert.deepEqual(await f.blobIds(), referenced);
      assert.ok(!(await f.blobIds()).includes(orphanA.blobId) && !(await f.blobIds()).includes(orphanB.blobId));
      const again = await sweeper.sweep();
      assert.deepEqual(again, { checked: 3, removed: 0, tempRemoved: 0, blobs: 3, bytes: 17 });
    } finally {
      await f.cleanup();
    }
  });
});
