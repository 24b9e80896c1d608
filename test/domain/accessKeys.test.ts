import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_ACCOUNT, ROOT, caller, domainError, withFixture } from './support.js';

test('create: AKIA id, 40-character secret sealed at rest, Active, operation', () =>
  withFixture(async (f) => {
    const { bucket } = await f.buckets.create(caller, { bucketName: 'keys', bundleId: 'small_1_0' });
    const created = await f.keys.create(caller, 'keys');
    const k = created.accessKey;
    assert.match(k.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.match(created.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
    assert.equal(k.status, 'Active');
    assert.equal(k.createdAt, f.time.now);
    assert.equal(k.bucketId, bucket.id);
    assert.equal(k.lastUsedDate, null);
    assert.ok(!k.sealedSecret.includes(created.secretAccessKey), 'only the sealed form is kept');
    assert.equal(f.secretBox.open(k.sealedSecret, k.accessKeyId), created.secretAccessKey);
    assert.throws(() => f.secretBox.open(k.sealedSecret, 'AKIAOTHEROTHEROTHER2'), 'the seal is bound to the key id');
    const op = created.operations[0];
    assert.deepEqual(
      [
        op.operationType,
        op.resourceName,
        op.resourceType,
        op.status,
        op.isTerminal,
        op.createdAt === op.statusChangedAt,
      ],
      ['CreateBucketAccessKey', 'keys', 'Bucket', 'Succeeded', true, true],
    );
    const listed = await f.keys.list(caller, 'keys');
    assert.deepEqual(listed, [k]);
    assert.ok(!JSON.stringify(listed).includes(created.secretAccessKey), 'listing never carries the secret');
    await assert.rejects(
      f.keys.create(caller, 'ghost'),
      domainError('NotFound', "Bucket 'ghost' does not exist in us-east-1."),
    );
    await assert.rejects(
      f.keys.list({ accountId: OTHER_ACCOUNT, region: 'us-east-1' }, 'keys'),
      domainError('NotFound', /'keys' does not exist/),
    );
  }));

test('at most two keys per bucket, even with 20 concurrent creates', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'busy', bundleId: 'small_1_0' });
    await f.buckets.create(caller, { bucketName: 'calm', bundleId: 'small_1_0' });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => f.keys.create(caller, 'busy')));
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 2);
    for (const r of results) {
      if (r.status === 'rejected')
        assert.ok(domainError('InvalidInput', "bucket 'busy' already has the maximum of 2 access keys")(r.reason));
    }
    assert.equal((await f.keys.list(caller, 'busy')).length, 2);
    assert.equal(
      (await f.operations.listForResource(caller, 'busy')).operations.filter(
        (o) => o.operationType === 'CreateBucketAccessKey',
      ).length,
      2,
      'refused creates record no operation',
    );
    await f.keys.create(caller, 'calm');
  }));

test('delete: NotFound for unknown key, unknown bucket or a key of another bucket; the key stops resolving', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'one', bundleId: 'small_1_0' });
    await f.buckets.create(caller, { bucketName: 'two', bundleId: 'small_1_0' });
    const { accessKey, secretAccessKey } = await f.keys.create(caller, 'one');
    const resolved = await f.credentials.resolve(accessKey.accessKeyId);
    assert.equal(resolved?.secretAccessKey, secretAccessKey);
    assert.deepEqual(resolved?.principal, {
      kind: 'bucketKey',
      accountId: caller.accountId,
      accessKeyId: accessKey.accessKeyId,
      bucketId: accessKey.bucketId,
      bucketName: 'one',
    });
    await assert.rejects(
      f.keys.delete(caller, 'one', 'AKIAAAAAAAAAAAAAAAAA'),
      domainError('NotFound', "Access key 'AKIAAAAAAAAAAAAAAAAA' does not exist for bucket 'one'."),
    );
    await assert.rejects(
      f.keys.delete(caller, 'two', accessKey.accessKeyId),
      domainError('NotFound', /does not exist for bucket 'two'/),
    );
    await assert.rejects(
      f.keys.delete(caller, 'ghost', accessKey.accessKeyId),
      domainError('NotFound', "Bucket 'ghost' does not exist in us-east-1."),
    );
    const { operations } = await f.keys.delete(caller, 'one', accessKey.accessKeyId);
    assert.equal(operations[0].operationType, 'DeleteBucketAccessKey');
    assert.equal(await f.credentials.resolve(accessKey.accessKeyId), undefined);
    assert.deepEqual(await f.keys.list(caller, 'one'), []);
  }));

test('setStatus: Inactive shows at once through the resolver, and back to Active', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'switch', bundleId: 'small_1_0' });
    const { accessKey } = await f.keys.create(caller, 'switch');
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Active');
    const off = await f.keys.setStatus(caller, 'switch', accessKey.accessKeyId, 'Inactive');
    assert.equal(off.accessKey.status, 'Inactive');
    assert.equal(off.operations[0].operationType, 'UpdateBucketAccessKey');
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Inactive');
    assert.equal((await f.keys.list(caller, 'switch'))[0].status, 'Inactive');
    await f.keys.setStatus(caller, 'switch', accessKey.accessKeyId, 'Active');
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Active');
    await assert.rejects(
      f.keys.setStatus(caller, 'switch', accessKey.accessKeyId, 'Paused' as 'Active'),
      domainError('InvalidInput', /status 'Paused'/),
    );
    await assert.rejects(
      f.keys.setStatus(caller, 'switch', 'AKIAAAAAAAAAAAAAAAAA', 'Inactive'),
      domainError('NotFound', /'AKIAAAAAAAAAAAAAAAAA' does not exist/),
    );
  }));

test('resolver: root credentials, unknown ids, cached lookups invalidated per key and per bucket', () =>
  withFixture(async (f) => {
    const root = await f.credentials.resolve(ROOT.rootAccessKeyId);
    assert.deepEqual(root, {
      principal: { kind: 'root', accountId: ROOT.accountId, accessKeyId: ROOT.rootAccessKeyId },
      secretAccessKey: ROOT.rootSecretAccessKey,
      status: 'Active',
    });
    assert.equal(await f.credentials.resolve('AKIANOSUCHKEYNOSUCH2'), undefined);
    await f.buckets.create(caller, { bucketName: 'cached', bundleId: 'small_1_0' });
    const { accessKey } = await f.keys.create(caller, 'cached');
    assert.ok(await f.credentials.resolve(accessKey.accessKeyId), 'a new key resolves at once (no negative caching)');
    // Change the row behind the services' back: the cache keeps answering until invalidated.
    await f.store.transaction((tx) => tx.control.setAccessKeyStatus(accessKey.accessKeyId, 'Inactive'));
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Active', 'served from cache');
    f.credentials.invalidate(accessKey.accessKeyId);
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Inactive');
    await f.store.transaction((tx) => tx.control.setAccessKeyStatus(accessKey.accessKeyId, 'Active'));
    f.credentials.invalidateBucket(accessKey.bucketId);
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Active');
    // The TTL bounds staleness when another node changed the row.
    await f.store.transaction((tx) => tx.control.setAccessKeyStatus(accessKey.accessKeyId, 'Inactive'));
    f.time.now += 60_000;
    assert.equal((await f.credentials.resolve(accessKey.accessKeyId))?.status, 'Inactive');
  }));

test('resolver: a lookup that overlaps an invalidation does not cache what it read', () =>
  withFixture(async (f) => {
    await f.buckets.create(caller, { bucketName: 'racing', bundleId: 'small_1_0' });
    const { accessKey } = await f.keys.create(caller, 'racing');
    const inFlight = f.credentials.resolve(accessKey.accessKeyId);
    f.credentials.invalidate(accessKey.accessKeyId); // e.g. a status change committed meanwhile
    assert.equal((await inFlight)?.status, 'Active');
    await f.store.transaction((tx) => tx.control.setAccessKeyStatus(accessKey.accessKeyId, 'Inactive'));
    assert.equal(
      (await f.credentials.resolve(accessKey.accessKeyId))?.status,
      'Inactive',
      'the overlapping lookup was not cached',
    );
  }));
