/**
 * BucketService.findByName serves bucket records from a short-lived cache: repeated lookups cost
 * no store read, every change made through the service is seen at once, a change made behind its
 * back (another node) within the TTL, and a lookup racing a change never caches the old record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketService } from '../../src/domain/buckets/buckets.js';
import type { MetadataStore, MetadataTx } from '../../src/domain/ports/MetadataStore.js';
import { caller, withFixture, type Fixture } from './support.js';

/** The fixture's store, counting reads; `gate` (when set) holds reads until it resolves. */
function countingStore(f: Fixture): { store: MetadataStore; reads: () => number; hold(): () => void } {
  let reads = 0;
  let gate: Promise<void> | undefined;
  const store: MetadataStore = {
    transaction: (fn) => f.store.transaction(fn),
    read: async <T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> => {
      reads++;
      const result = await f.store.read(fn);
      if (gate) await gate;
      return result;
    },
    close: () => f.store.close(),
  };
  return {
    store,
    reads: () => reads,
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

const service = (f: Fixture, store: MetadataStore, opts: { cacheTtlMs?: number; cacheMaxEntries?: number } = {}) =>
  new BucketService({ store, clock: f.clock, ...opts });

test('findByName: a second lookup within the TTL reads nothing and returns the same frozen record', () =>
  withFixture(async (f) => {
    const counting = countingStore(f);
    const buckets = service(f, counting.store);
    await buckets.create(caller, { bucketName: 'cached', bundleId: 'small_1_0' });
    const a = await buckets.findByName('cached');
    const b = await buckets.findByName('cached');
    assert.equal(counting.reads(), 1);
    assert.equal(a, b);
    assert.ok(
      Object.isFrozen(a) && Object.isFrozen(a!.accessRules) && Object.isFrozen(a!.cors) && Object.isFrozen(a!.tags),
    );
    assert.throws(() => {
      (a!.accessRules as { getObject: string }).getObject = 'public';
    }, TypeError);
    f.time.now += 1000;
    const c = await buckets.findByName('cached');
    assert.equal(counting.reads(), 2, 'read again once the TTL passed');
    assert.deepEqual(c, a);
    assert.equal(await buckets.findByName('missing'), undefined);
    assert.equal(await buckets.findByName('missing'), undefined);
    assert.equal(counting.reads(), 4, 'a missing bucket is never cached (it may be created on another node)');
  }));

test('findByName: every change through the service is seen by the next lookup', () =>
  withFixture(async (f) => {
    const buckets = service(f, f.store);
    await buckets.create(caller, { bucketName: 'changing', bundleId: 'small_1_0' });
    assert.equal((await buckets.findByName('changing'))!.accessRules.getObject, 'private');
    await buckets.update(caller, 'changing', { accessRules: { getObject: 'public' } });
    assert.equal((await buckets.findByName('changing'))!.accessRules.getObject, 'public');
    await buckets.update(caller, 'changing', { versioning: 'Enabled' });
    assert.equal((await buckets.findByName('changing'))!.objectVersioning, 'Enabled');
    await buckets.update(caller, 'changing', { cors: [{ allowedMethods: ['GET'], allowedOrigins: ['*'] }] });
    assert.equal((await buckets.findByName('changing'))!.cors.length, 1);
    await buckets.updateBundle(caller, 'changing', 'medium_1_0');
    assert.equal((await buckets.findByName('changing'))!.bundleId, 'medium_1_0');
    await buckets.tag(caller, { resourceName: 'changing' }, [{ key: 'env', value: 'prod' }]);
    assert.deepEqual((await buckets.findByName('changing'))!.tags, [{ key: 'env', value: 'prod' }]);
    const arn = `arn:aws:lightsail:us-east-1:${caller.accountId}:Bucket/${(await buckets.findByName('changing'))!.id}`;
    await buckets.untag(caller, { resourceArn: arn }, ['env']);
    assert.deepEqual((await buckets.findByName('changing'))!.tags, [], 'untag by ARN invalidates the name too');
    await buckets.delete(caller, 'changing');
    assert.equal(await buckets.findByName('changing'), undefined);
    await buckets.create(caller, { bucketName: 'changing', bundleId: 'small_1_0' });
    assert.equal(
      (await buckets.findByName('changing'))!.accessRules.getObject,
      'private',
      'a re-created bucket is the new one',
    );
  }));

test('findByName: a change made behind the service is seen after the TTL, or at once after invalidateCachedBucket', () =>
  withFixture(async (f) => {
    const buckets = service(f, f.store, { cacheTtlMs: 500 });
    const other = service(f, f.store); // another node sharing the store
    await buckets.create(caller, { bucketName: 'shared', bundleId: 'small_1_0' });
    assert.equal((await buckets.findByName('shared'))!.accessRules.getObject, 'private');
    await other.update(caller, 'shared', { accessRules: { getObject: 'public' } });
    assert.equal((await buckets.findByName('shared'))!.accessRules.getObject, 'private', 'still cached within the TTL');
    f.time.now += 500;
    assert.equal((await buckets.findByName('shared'))!.accessRules.getObject, 'public');
    await other.update(caller, 'shared', { accessRules: { getObject: 'private' } });
    buckets.invalidateCachedBucket('shared');
    assert.equal((await buckets.findByName('shared'))!.accessRules.getObject, 'private');
  }));

test('findByName: a lookup that read before a change committed does not cache the old record', () =>
  withFixture(async (f) => {
    const counting = countingStore(f);
    const buckets = service(f, counting.store);
    await buckets.create(caller, { bucketName: 'racing', bundleId: 'small_1_0' });
    const release = counting.hold();
    const slow = buckets.findByName('racing'); // reads 'private', then waits at the gate
    await new Promise((resolve) => setImmediate(resolve));
    await buckets.update(caller, 'racing', { accessRules: { getObject: 'public' } });
    release();
    assert.equal((await slow)!.accessRules.getObject, 'private', 'the racing lookup answers what it read');
    assert.equal((await buckets.findByName('racing'))!.accessRules.getObject, 'public', 'but did not cache it');
  }));

test('findByName: bounded, and a TTL of 0 turns the cache off', () =>
  withFixture(async (f) => {
    const counting = countingStore(f);
    const small = service(f, counting.store, { cacheMaxEntries: 2 });
    for (const name of ['bound-a', 'bound-b', 'bound-c'])
      await small.create(caller, { bucketName: name, bundleId: 'small_1_0' });
    for (const name of ['bound-a', 'bound-b', 'bound-c']) await small.findByName(name);
    const before = counting.reads();
    await small.findByName('bound-c');
    await small.findByName('bound-b');
    assert.equal(counting.reads(), before, 'the two newest are cached');
    await small.findByName('bound-a');
    assert.equal(counting.reads(), before + 1, 'the oldest was evicted');
    const off = service(f, counting.store, { cacheTtlMs: 0 });
    const n = counting.reads();
    await off.findByName('bound-a');
    await off.findByName('bound-a');
    assert.equal(counting.reads(), n + 2);
    assert.throws(
      () => service(f, counting.store, { cacheMaxEntries: 0 }),
      /cacheMaxEntries must be at least 1, got 0/,
    );
    assert.throws(() => service(f, counting.store, { cacheTtlMs: -1 }), /cacheTtlMs must be 0 or more, got -1/);
  }));
