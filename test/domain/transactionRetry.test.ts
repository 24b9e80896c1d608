/**
 * Domain services under a store that runs every transaction function twice (the first attempt
 * rolled back, as PostgreSQL may after a serialization failure): the outcome is the same as with
 * one run, and effects outside the store (blobs freed, bucket cache dropped) happen once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BucketService } from '../../src/domain/buckets/buckets.js';
import { ObjectService } from '../../src/domain/objects/objects.js';
import { retryingStore } from '../store/retryingStore.js';
import { body, objectsFixture } from './objectsFixture.js';
import { caller, withFixture } from './support.js';

test('DeleteObjects frees each deleted blob once when its transaction runs twice', async () => {
  const f = await objectsFixture();
  try {
    await f.objects.putObject(f.bucket, 'a', body('x'.repeat(70_000)));
    await f.objects.putObject(f.bucket, 'b', body('y'.repeat(70_000)));
    const blobsBefore = await f.blobIds();
    assert.equal(blobsBefore.length, 2);
    const store = retryingStore(f.store);
    const deletes: string[][] = [];
    const objects = new ObjectService({
      store,
      clock: () => f.now.ms,
      blobs: {
        put: f.blobs.put.bind(f.blobs),
        get: f.blobs.get.bind(f.blobs),
        list: f.blobs.list.bind(f.blobs),
        removeStaleTemp: f.blobs.removeStaleTemp.bind(f.blobs),
        close: f.blobs.close.bind(f.blobs),
        delete: async (ids) => {
          deletes.push([...ids]);
          await f.blobs.delete(ids);
        },
      },
    });
    const results = await objects.deleteObjects(f.bucket, [{ key: 'a' }, { key: 'b' }, { key: 'missing' }]);
    assert.equal(store.runs, 2);
    assert.deepEqual(
      results.map((r) => [r.key, r.ok]),
      [
        ['a', true],
        ['b', true],
        ['missing', true],
      ],
    );
    assert.deepEqual(deletes.flat().sort(), blobsBefore, 'each freed blob handed to the blob store exactly once');
    assert.deepEqual(await f.blobIds(), []);
  } finally {
    await f.cleanup();
  }
});

test('BucketService drops the cached record once per change, after the commit, when its transaction runs twice', () =>
  withFixture(async (f) => {
    const store = retryingStore(f.store);
    const buckets = new BucketService({ store, clock: f.clock, cacheTtlMs: 60_000 });
    const dropped: string[] = [];
    const drop = buckets.invalidateCachedBucket.bind(buckets);
    buckets.invalidateCachedBucket = (name: string) => {
      dropped.push(name);
      drop(name);
    };
    await buckets.create(caller, { bucketName: 'retry-bucket', bundleId: 'small_1_0' });
    assert.equal((await buckets.findByName('retry-bucket'))?.objectVersioning, 'NeverEnabled');
    const change = await buckets.update(caller, 'retry-bucket', { versioning: 'Enabled' });
    assert.equal(change.operations.length, 1);
    assert.equal((await buckets.findByName('retry-bucket'))?.objectVersioning, 'Enabled', 'the cache saw the commit');
    await buckets.tag(caller, { resourceName: 'retry-bucket' }, [{ key: 'k', value: 'v' }]);
    assert.equal(store.runs, 6, 'three changes, each run twice');
    assert.deepEqual(dropped, ['retry-bucket', 'retry-bucket', 'retry-bucket'], 'one cache drop per change');
    const ops = await f.operations.list(caller, {});
    assert.equal(ops.operations.length, 3, 'one operation record per change: the first attempts left none');
  }));
