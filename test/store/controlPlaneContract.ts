/**
 * Contract suite for the control-plane part of a MetadataStore. Every implementation (SQLite now,
 * PostgreSQL later) registers it with its own factory; each test gets a fresh, empty store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreConflict } from '../../src/domain/ports/ControlPlaneRepo.js';
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import type { AccessKeyRecord, BucketRecord, OperationRecord } from '../../src/domain/ports/records.js';
import { retryingStore } from './retryingStore.js';

export type StoreFactory = () => Promise<MetadataStore>;

let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;

export function bucketFixture(over: Partial<BucketRecord> = {}): BucketRecord {
  const id = uid('00000000-bucket');
  return {
    id,
    accountId: '111122223333',
    region: 'us-east-1',
    name: uid('bkt'),
    bundleId: 'small_1_0',
    createdAt: 1_700_000_000_000,
    objectVersioning: 'NeverEnabled',
    accessRules: { getObject: 'private', allowPublicOverrides: false },
    readonlyAccessAccounts: [],
    accessLogConfig: { enabled: false },
    cors: [],
    lifecycle: [],
    bundleChangedAt: null,
    tags: [],
    ...over,
  };
}

export function keyFixture(b: BucketRecord, over: Partial<AccessKeyRecord> = {}): AccessKeyRecord {
  return {
    accessKeyId:
      'AKIA' +
      uid('K')
        .replace(/[^A-Z0-9]/gi, '')
        .toUpperCase()
        .padEnd(16, 'Q')
        .slice(-16),
    bucketId: b.id,
    bucketName: b.name,
    accountId: b.accountId,
    sealedSecret: 'v1:sealed',
    status: 'Active',
    createdAt: 1_700_000_000_000,
    lastUsedDate: null,
    lastUsedRegion: null,
    lastUsedService: null,
    ...over,
  };
}

function opFixture(over: Partial<OperationRecord> = {}): OperationRecord {
  return {
    id: uid('op'),
    accountId: '111122223333',
    region: 'us-east-1',
    resourceName: 'photos',
    resourceType: 'Bucket',
    operationType: 'CreateBucket',
    status: 'Succeeded',
    isTerminal: true,
    createdAt: 1_700_000_000_000,
    statusChangedAt: 1_700_000_000_000,
    ...over,
  };
}

const isConflict = (constraint: StoreConflict['constraint']) => (e: unknown) =>
  e instanceof StoreConflict && e.constraint === constraint;

export function controlPlaneContract(name: string, factory: StoreFactory): void {
  const withStore = (title: string, fn: (store: MetadataStore) => Promise<void>): void => {
    test(`${name}: ${title}`, async () => {
      const store = await factory();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });
  };

  withStore('sealed secrets of every key are listed and replaced (master-key rotation)', async (store) => {
    const b1 = bucketFixture();
    const b2 = bucketFixture();
    const k1 = keyFixture(b1, { sealedSecret: 'v1:one' });
    const k2 = keyFixture(b2, { sealedSecret: 'v1:two' });
    await store.transaction(async (tx) => {
      await tx.control.insertBucket(b1);
      await tx.control.insertBucket(b2);
      await tx.control.insertAccessKey(k1, 2);
      await tx.control.insertAccessKey(k2, 2);
    });
    const listed = await store.read((tx) => tx.control.listSealedSecrets());
    const mine = listed.filter((r) => r.accessKeyId === k1.accessKeyId || r.accessKeyId === k2.accessKeyId);
    assert.deepEqual(
      mine.sort((x, y) => x.accessKeyId.localeCompare(y.accessKeyId)),
      [k1, k2]
        .map((k) => ({ accessKeyId: k.accessKeyId, sealedSecret: k.sealedSecret }))
        .sort((x, y) => x.accessKeyId.localeCompare(y.accessKeyId)),
    );
    await store.transaction(async (tx) => {
      await tx.control.setSealedSecret(k1.accessKeyId, 'v1:resealed');
      await tx.control.setSealedSecret('AKIANOSUCHKEYXXXXXXX', 'v1:ignored');
    });
    assert.equal((await store.read((tx) => tx.control.getAccessKey(k1.accessKeyId)))?.sealedSecret, 'v1:resealed');
    assert.equal((await store.read((tx) => tx.control.getAccessKey(k2.accessKeyId)))?.sealedSecret, 'v1:two');
  });

  withStore('a transaction function run twice (first attempt rolled back) commits its changes once', async (store) => {
    const retrying = retryingStore(store);
    const b = bucketFixture();
    const k = keyFixture(b);
    const result = await retrying.transaction(async (tx) => {
      await tx.control.insertBucket(b);
      // Reads inside the function see only this attempt's writes.
      const keysBefore = (await tx.control.listAccessKeys(b.id)).length;
      await tx.control.insertAccessKey(k, 2);
      return { keysBefore, buckets: (await tx.control.listAllBucketIds()).filter((id) => id === b.id).length };
    });
    assert.equal(retrying.runs, 2, 'the function ran twice');
    assert.deepEqual(result, { keysBefore: 0, buckets: 1 }, 'the second run saw none of the first');
    assert.deepEqual(await store.read((tx) => tx.control.getBucketByName(b.name)), b);
    const keys = await store.read((tx) => tx.control.listAccessKeys(b.id));
    assert.deepEqual(
      keys.map((x) => x.accessKeyId),
      [k.accessKeyId],
      'one key: the first attempt left nothing',
    );
  });

  withStore('bucket create, read by name and id, update every field, delete', async (store) => {
    const b = bucketFixture({ tags: [{ key: 'team', value: 'web' }] });
    await store.transaction((tx) => tx.control.insertBucket(b));
    assert.deepEqual(await store.read((tx) => tx.control.getBucketByName(b.name)), b);
    assert.deepEqual(await store.read((tx) => tx.control.getBucketById(b.id)), b);
    const changed: BucketRecord = {
      ...b,
      bundleId: 'large_1_0',
      objectVersioning: 'Enabled',
      accessRules: { getObject: 'public', allowPublicOverrides: true },
      readonlyAccessAccounts: ['444455556666'],
      accessLogConfig: { enabled: true, destination: 'logs', prefix: 'p/' },
      cors: [
        {
          id: 'r1',
          allowedMethods: ['GET'],
          allowedOrigins: ['*'],
          allowedHeaders: ['x'],
          exposeHeaders: ['etag'],
          maxAgeSeconds: 30,
        },
      ],
      bundleChangedAt: 1_700_000_100_000,
      tags: [{ key: 'a', value: '' }],
    };
    await store.transaction((tx) => tx.control.updateBucket(changed));
    assert.deepEqual(await store.read((tx) => tx.control.getBucketByName(b.name)), changed);
    await store.transaction((tx) => tx.control.deleteBucket(b.id));
    assert.equal(await store.read((tx) => tx.control.getBucketByName(b.name)), undefined);
    assert.equal(await store.read((tx) => tx.control.getBucketById(b.id)), undefined);
  });

  withStore('bucket names are unique across accounts and regions', async (store) => {
    const b = bucketFixture();
    await store.transaction((tx) => tx.control.insertBucket(b));
    const other = bucketFixture({ name: b.name, accountId: '999988887777', region: 'eu-west-1' });
    await assert.rejects(
      store.transaction((tx) => tx.control.insertBucket(other)),
      isConflict('bucket_name_unique'),
    );
    assert.equal(await store.read((tx) => tx.control.getBucketById(other.id)), undefined);
    assert.deepEqual(await store.read((tx) => tx.control.listAllBucketIds()), [b.id]);
  });

  withStore('listBuckets: by name, scoped to account and region, paged with after', async (store) => {
    const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'].map((n) => `${n}-${process.pid}`);
    await store.transaction(async (tx) => {
      for (const n of names) await tx.control.insertBucket(bucketFixture({ name: n }));
      await tx.control.insertBucket(bucketFixture({ name: uid('other-account'), accountId: '999988887777' }));
      await tx.control.insertBucket(bucketFixture({ name: uid('other-region'), region: 'eu-west-1' }));
    });
    const sorted = [...names].sort();
    const page1 = await store.read((tx) => tx.control.listBuckets('111122223333', 'us-east-1', undefined, 2));
    assert.deepEqual(
      page1.map((b) => b.name),
      sorted.slice(0, 2),
    );
    const page2 = await store.read((tx) => tx.control.listBuckets('111122223333', 'us-east-1', page1[1].name, 2));
    assert.deepEqual(
      page2.map((b) => b.name),
      sorted.slice(2, 4),
    );
    const page3 = await store.read((tx) => tx.control.listBuckets('111122223333', 'us-east-1', page2[1].name, 2));
    assert.deepEqual(
      page3.map((b) => b.name),
      sorted.slice(4),
    );
    assert.equal((await store.read((tx) => tx.control.listAllBucketIds())).length, 7);
  });

  withStore('access keys: insert, get with bucket name, list, status, last use, delete', async (store) => {
    const b = bucketFixture();
    const k = keyFixture(b);
    await store.transaction(async (tx) => {
      await tx.control.insertBucket(b);
      await tx.control.insertAccessKey(k, 2);
    });
    assert.deepEqual(await store.read((tx) => tx.control.getAccessKey(k.accessKeyId)), k);
    assert.deepEqual(await store.read((tx) => tx.control.listAccessKeys(b.id)), [k]);
    await store.transaction((tx) => tx.control.setAccessKeyStatus(k.accessKeyId, 'Inactive'));
    assert.equal((await store.read((tx) => tx.control.getAccessKey(k.accessKeyId)))!.status, 'Inactive');
    await store.transaction((tx) =>
      tx.control.recordAccessKeyUse([
        { accessKeyId: k.accessKeyId, date: 2_000, region: 'us-east-1', service: 's3' },
        { accessKeyId: 'AKIAUNKNOWNUNKNOWN22', date: 2_000, region: 'us-east-1', service: 's3' },
      ]),
    );
    await store.transaction((tx) =>
      tx.control.recordAccessKeyUse([{ accessKeyId: k.accessKeyId, date: 1_000, region: 'eu-west-1', service: 'old' }]),
    );
    const used = (await store.read((tx) => tx.control.getAccessKey(k.accessKeyId)))!;
    assert.deepEqual([used.lastUsedDate, used.lastUsedRegion, used.lastUsedService], [2_000, 'us-east-1', 's3']);
    await store.transaction((tx) => tx.control.deleteAccessKey(k.accessKeyId));
    assert.equal(await store.read((tx) => tx.control.getAccessKey(k.accessKeyId)), undefined);
    assert.deepEqual(await store.read((tx) => tx.control.listAccessKeys(b.id)), []);
  });

  withStore('access key ids are unique server-wide', async (store) => {
    const [a, b] = [bucketFixture(), bucketFixture()];
    const k = keyFixture(a);
    await store.transaction(async (tx) => {
      await tx.control.insertBucket(a);
      await tx.control.insertBucket(b);
      await tx.control.insertAccessKey(k, 2);
    });
    await assert.rejects(
      store.transaction((tx) => tx.control.insertAccessKey({ ...keyFixture(b), accessKeyId: k.accessKeyId }, 2)),
      isConflict('access_key_id_unique'),
    );
    assert.deepEqual(await store.read((tx) => tx.control.listAccessKeys(b.id)), []);
  });

  withStore('two-key limit: of 20 concurrent inserting transactions exactly two succeed', async (store) => {
    const b = bucketFixture();
    await store.transaction((tx) => tx.control.insertBucket(b));
    const keys = Array.from({ length: 20 }, () => keyFixture(b));
    const results = await Promise.allSettled(
      keys.map((k) =>
        store.transaction(async (tx) => {
          await tx.control.insertAccessKey(k, 2);
          await new Promise((r) => setImmediate(r)); // yield inside the transaction
          return k.accessKeyId;
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 2);
    assert.equal(failed.length, 18);
    for (const f of failed) assert.ok(isConflict('access_key_limit')(f.reason), String(f.reason));
    const stored = await store.read((tx) => tx.control.listAccessKeys(b.id));
    assert.deepEqual(stored.map((k) => k.accessKeyId).sort(), ok.map((r) => r.value).sort());
    // Freeing a slot lets exactly one more in.
    await store.transaction((tx) => tx.control.deleteAccessKey(stored[0].accessKeyId));
    await store.transaction((tx) => tx.control.insertAccessKey(keyFixture(b), 2));
    await assert.rejects(
      store.transaction((tx) => tx.control.insertAccessKey(keyFixture(b), 2)),
      isConflict('access_key_limit'),
    );
    assert.equal((await store.read((tx) => tx.control.listAccessKeys(b.id))).length, 2);
  });

  withStore('deleting a bucket cascades to its keys and metric samples, not to operations', async (store) => {
    const b = bucketFixture();
    const k = keyFixture(b);
    const op = opFixture({ resourceName: b.name });
    await store.transaction(async (tx) => {
      await tx.control.insertBucket(b);
      await tx.control.insertAccessKey(k, 2);
      await tx.control.insertMetricSample({ bucketId: b.id, timestamp: 10, bucketSizeBytes: 5, numberOfObjects: 1 });
      await tx.control.insertOperation(op);
    });
    await store.transaction((tx) => tx.control.deleteBucket(b.id));
    assert.equal(await store.read((tx) => tx.control.getAccessKey(k.accessKeyId)), undefined);
    assert.deepEqual(await store.read((tx) => tx.control.listMetricSamples(b.id, 0, 100)), []);
    assert.deepEqual(await store.read((tx) => tx.control.getOperation(op.accountId, op.id)), op);
    // The name is free again.
    await store.transaction((tx) => tx.control.insertBucket(bucketFixture({ name: b.name })));
  });

  withStore('a transaction that throws leaves nothing behind', async (store) => {
    const b = bucketFixture();
    const op = opFixture({ resourceName: b.name });
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.control.insertBucket(b);
        await tx.control.insertAccessKey(keyFixture(b), 2);
        await tx.control.insertOperation(op);
        throw new Error('boom after writes');
      }),
      /boom after writes/,
    );
    assert.equal(await store.read((tx) => tx.control.getBucketByName(b.name)), undefined);
    assert.equal(await store.read((tx) => tx.control.getOperation(op.accountId, op.id)), undefined);
    assert.deepEqual(await store.read((tx) => tx.control.listAllBucketIds()), []);
    // The store still works after the rollback.
    await store.transaction((tx) => tx.control.insertBucket(b));
    assert.ok(await store.read((tx) => tx.control.getBucketById(b.id)));
  });

  withStore(
    'operations: oldest first (ties in insertion order), paged, scoped to account, region and resource',
    async (store) => {
      const t = 1_700_000_000_000;
      const ops = [
        opFixture({ createdAt: t + 30, statusChangedAt: t + 30, resourceName: 'a' }),
        opFixture({ createdAt: t + 10, statusChangedAt: t + 10, resourceName: 'b' }),
        opFixture({
          createdAt: t + 20,
          statusChangedAt: t + 20,
          resourceName: 'a',
          operationDetails: 'AKIA',
          errorCode: 'E',
          errorDetails: 'D',
        }),
        opFixture({ createdAt: t + 20, statusChangedAt: t + 20, resourceName: 'a' }),
        opFixture({ createdAt: t + 5, accountId: '999988887777' }),
        opFixture({ createdAt: t + 5, region: 'eu-west-1' }),
      ];
      for (const op of ops) await store.transaction((tx) => tx.control.insertOperation(op));
      const all = await store.read((tx) => tx.control.listOperations('111122223333', 'us-east-1', 0, 10));
      assert.deepEqual(
        all.map((o) => o.id),
        [ops[1].id, ops[2].id, ops[3].id, ops[0].id],
      );
      assert.deepEqual(all[1], ops[2]);
      const page = await store.read((tx) => tx.control.listOperations('111122223333', 'us-east-1', 1, 2));
      assert.deepEqual(
        page.map((o) => o.id),
        [ops[2].id, ops[3].id],
      );
      const forA = await store.read((tx) =>
        tx.control.listOperationsForResource('111122223333', 'us-east-1', 'a', 1, 10),
      );
      assert.deepEqual(
        forA.map((o) => o.id),
        [ops[3].id, ops[0].id],
      );
      assert.equal(await store.read((tx) => tx.control.getOperation('999988887777', ops[0].id)), undefined);
      assert.deepEqual(await store.read((tx) => tx.control.getOperation('111122223333', ops[0].id)), ops[0]);
    },
  );

  withStore('metric samples: half-open time range, oldest first, per bucket; pruning by age', async (store) => {
    const [a, b] = [bucketFixture(), bucketFixture()];
    await store.transaction(async (tx) => {
      await tx.control.insertBucket(a);
      await tx.control.insertBucket(b);
      for (const ts of [300, 100, 200, 400]) {
        await tx.control.insertMetricSample({
          bucketId: a.id,
          timestamp: ts,
          bucketSizeBytes: ts * 2,
          numberOfObjects: ts / 100,
        });
      }
      await tx.control.insertMetricSample({ bucketId: b.id, timestamp: 200, bucketSizeBytes: 1, numberOfObjects: 1 });
    });
    const got = await store.read((tx) => tx.control.listMetricSamples(a.id, 100, 400));
    assert.deepEqual(
      got,
      [100, 200, 300].map((ts) => ({
        bucketId: a.id,
        timestamp: ts,
        bucketSizeBytes: ts * 2,
        numberOfObjects: ts / 100,
      })),
    );
    assert.equal(await store.transaction((tx) => tx.control.deleteMetricSamplesBefore(250)), 3);
    assert.deepEqual(
      (await store.read((tx) => tx.control.listMetricSamples(a.id, 0, 1000))).map((s) => s.timestamp),
      [300, 400],
    );
    assert.deepEqual(await store.read((tx) => tx.control.listMetricSamples(b.id, 0, 1000)), []);
  });

  withStore('read() never commits writes', async (store) => {
    const b = bucketFixture();
    // A read may refuse the write (SQLite reads on a read-only connection) or discard it; never commit it.
    await store
      .read((tx) => tx.control.insertBucket(b))
      .catch((err: Error) => assert.match(err.message, /readonly|read-only/i));
    assert.equal(await store.read((tx) => tx.control.getBucketByName(b.name)), undefined);
  });
}
