import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastUsedRecorder } from '../../src/domain/keys/lastUsed.js';
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { caller, withFixture } from './support.js';

/** The store, counting the write transactions that go through it. */
function counting(store: MetadataStore): { store: MetadataStore; writes: () => number } {
  let n = 0;
  return {
    store: {
      transaction: (fn) => {
        n++;
        return store.transaction(fn);
      },
      read: (fn) => store.read(fn),
      close: () => store.close(),
    },
    writes: () => n,
  };
}

test('touch only updates memory; flush writes the latest use of every key in one transaction', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'used', bundleId: 'small_1_0' });
    const a = (await f.keys.create(caller, 'used')).accessKey;
    const b = (await f.keys.create(caller, 'used')).accessKey;
    const c = counting(f.store);
    const rec = new LastUsedRecorder({ store: c.store, clock: f.clock, intervalMs: 60_000 });
    try {
      for (let i = 0; i < 100; i++) {
        f.time.now += 10;
        rec.touch(i % 2 ? a.accessKeyId : b.accessKeyId, 'us-east-1', 's3');
      }
      rec.touch('AKIADELETEDKEYDELETE', 'us-east-1', 's3');
      assert.equal(c.writes(), 0, 'no write per request');
      assert.equal((await f.keys.list(caller, 'used'))[0].lastUsedDate, null);
      await rec.flush();
      assert.equal(c.writes(), 1);
      const byId = new Map((await f.keys.list(caller, 'used')).map((k) => [k.accessKeyId, k]));
      assert.deepEqual(
        [
          byId.get(a.accessKeyId)!.lastUsedDate,
          byId.get(a.accessKeyId)!.lastUsedRegion,
          byId.get(a.accessKeyId)!.lastUsedService,
        ],
        [f.time.now, 'us-east-1', 's3'],
      );
      assert.equal(byId.get(b.accessKeyId)!.lastUsedDate, f.time.now - 10);
      await rec.flush();
      assert.equal(c.writes(), 1, 'nothing pending: no transaction');
    } finally {
      await rec.stop();
    }
  }));

test('the timer flushes on its own; stop() flushes what is left', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'timer', bundleId: 'small_1_0' });
    const k = (await f.keys.create(caller, 'timer')).accessKey;
    const rec = new LastUsedRecorder({ store: f.store, clock: f.clock, intervalMs: 20 });
    rec.touch(k.accessKeyId, 'us-east-1', 's3');
    const deadline = Date.now() + 15_000; // generous: a loaded CI machine
    while ((await f.keys.list(caller, 'timer'))[0].lastUsedDate === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await f.keys.list(caller, 'timer'))[0].lastUsedDate, f.time.now);
    await rec.stop();
    const rec2 = new LastUsedRecorder({ store: f.store, clock: f.clock, intervalMs: 60_000 });
    f.time.now += 5000;
    rec2.touch(k.accessKeyId, 'us-east-1', 's3');
    await rec2.stop();
    assert.equal((await f.keys.list(caller, 'timer'))[0].lastUsedDate, f.time.now);
  }));
