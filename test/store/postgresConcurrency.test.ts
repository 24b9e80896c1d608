/**
 * What only a multi-writer database needs: two PostgreSQL stores (two pools, as two nodes have)
 * on one schema, racing. Each invariant SQLite gets from running writers one at a time must hold:
 * the two-key limit, unique bucket names, one latest version per key with versions in order, no
 * object left in a bucket deleted while it was written, serialization failures retried rather than
 * answered, and an unreachable database reported as StoreUnavailable.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreConflict } from '../../src/domain/ports/ControlPlaneRepo.js';
import { StoreUnavailable, type MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { assertWithinQuota } from '../../src/domain/accounts/quota.js';
import { DomainError } from '../../src/domain/errors.js';
import pg from 'pg';
import { openMetadataStore } from '../../src/store/factory.js';
import { PgObjectIndexRepo, type PgLocking } from '../../src/store/metadata/postgres/PgObjectIndexRepo.js';
import { connectionConfig } from '../../src/store/metadata/postgres/sql.js';
import { testPostgres } from '../helpers/postgres.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectService } from '../../src/domain/objects/objects.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import { testBucket } from '../domain/objectsFixture.js';
import { bucketFixture, keyFixture } from './controlPlaneContract.js';
import { objectRow, uploadRow } from './objectIndexContract.js';

let nodeA: MetadataStore;
let nodeB: MetadataStore;
let url: string;
let schema: string;

before(async () => {
  const db = await testPostgres();
  url = db.url;
  schema = db.freshSchema();
  nodeA = openMetadataStore({ kind: 'postgres', url, schema, poolSize: 6 });
  nodeB = openMetadataStore({ kind: 'postgres', url, schema, poolSize: 6 });
  await Promise.all([nodeA.read(async () => undefined), nodeB.read(async () => undefined)]);
});

after(async () => {
  await Promise.all([nodeA?.close(), nodeB?.close()]);
});

const both = (i: number) => (i % 2 === 0 ? nodeA : nodeB);

test('eight key insertions racing on two nodes: exactly two keys, the rest StoreConflict(access_key_limit)', async () => {
  const b = bucketFixture();
  await nodeA.transaction((tx) => tx.control.insertBucket(b));
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) =>
      both(i).transaction(async (tx) => {
        const k = keyFixture(b);
        if ((await tx.control.listAccessKeys(b.id)).length >= 2) throw new StoreConflict('access_key_limit', 'counted');
        await tx.control.insertAccessKey(k, 2);
      }),
    ),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
  for (const r of results) {
    if (r.status === 'rejected') {
      assert.ok(r.reason instanceof StoreConflict, String(r.reason));
      assert.equal(r.reason.constraint, 'access_key_limit');
    }
  }
  assert.equal((await nodeB.read((tx) => tx.control.listAccessKeys(b.id))).length, 2);
});

test('one bucket name claimed by six racing creations on two nodes: one wins', async () => {
  const name = bucketFixture().name;
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, (_, i) =>
      both(i).transaction(async (tx) => {
        if (await tx.control.getBucketByName(name)) throw new StoreConflict('bucket_name_unique', 'seen');
        await tx.control.insertBucket(bucketFixture({ name }));
      }),
    ),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof StoreConflict, String(r.reason));
});

test('twenty versions of one key written at once from two nodes: all kept, in order, one latest', async () => {
  const bucket = testBucket(`vers-${Date.now()}`, 'Enabled');
  await nodeA.transaction((tx) => tx.control.insertBucket(bucket));
  let runs = 0;
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      both(i).transaction(async (tx) => {
        runs++;
        const v = `v${String(i).padStart(3, '0')}`;
        return tx.objects.putObject(objectRow(bucket.id, 'hot', { versionId: v, size: i }));
      }),
    ),
  );
  assert.ok(runs >= 20, 'every write ran (some more than once, after a serialization failure)');
  const page = await nodeB.read((tx) => tx.objects.listObjectVersions(bucket.id, { prefix: '', maxKeys: 100 }));
  assert.equal(page.versions.length, 20);
  assert.equal(page.versions.filter((v) => v.isLatest).length, 1, 'exactly one latest version');
  assert.ok(page.versions[0].isLatest, 'the newest version (listed first) is the latest');
  const latest = await nodeA.read((tx) => tx.objects.getObject(bucket.id, 'hot', undefined, false));
  assert.equal(latest?.versionId, page.versions[0].versionId);
});

test('a bucket deleted while objects are written into it from the other node leaves no orphan rows', async () => {
  for (let round = 0; round < 5; round++) {
    const bucket = testBucket(`race-${round}-${Date.now()}`);
    await nodeA.transaction((tx) => tx.control.insertBucket(bucket));
    const writes = Array.from({ length: 6 }, (_, i) =>
      nodeB.transaction(async (tx) => {
        if (!(await tx.objects.bucketExists(bucket.id))) return 'gone';
        await tx.objects.putObject(objectRow(bucket.id, `k${i}`));
        return 'written';
      }),
    );
    const deletion = nodeA.transaction(async (tx) => {
      if (await tx.objects.hasContents(bucket.id)) return 'not empty';
      await tx.control.deleteBucket(bucket.id);
      return 'deleted';
    });
    const [outcome] = await Promise.all([deletion, ...writes]);
    const left = await nodeB.read(async (tx) => ({
      exists: await tx.objects.bucketExists(bucket.id),
      contents: await tx.objects.hasContents(bucket.id),
    }));
    if (outcome === 'deleted') assert.equal(left.contents, false, `round ${round}: rows left in a deleted bucket`);
    else assert.equal(left.exists, true);
  }
});

test('32 perKey writes of distinct keys into one bucket from two nodes: none conflicts, each runs once', async () => {
  const bucket = testBucket(`distinct-${Date.now()}`);
  await nodeA.transaction((tx) => tx.control.insertBucket(bucket));
  for (const size of [0, 10, 1000]) {
    let runs = 0;
    await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        both(i).transaction(async (tx) => {
          runs++;
          if (!(await tx.objects.bucketExists(bucket.id))) throw new Error('bucket gone');
          await tx.objects.getObject(bucket.id, `k${i}`, undefined, false);
          await tx.objects.putObject(objectRow(bucket.id, `k${i}`, { size }));
          await tx.accounts.getAccount(bucket.accountId);
        }, 'perKey'),
      ),
    );
    // Under SERIALIZABLE most of these were rolled back and run again (index-page predicate locks,
    // the bucket's one usage row); with per-key locks nothing is retried.
    assert.equal(runs, 32, `size ${size}: ${runs - 32} runs were retries`);
  }
  const page = await nodeB.read((tx) => tx.objects.listObjects(bucket.id, { prefix: '', maxKeys: 100 }));
  assert.equal(page.contents.length, 32);
  const stats = await nodeA.read((tx) => tx.objects.bucketStats(bucket.id));
  assert.deepEqual(stats, { sizeBytes: 32 * 1000, objectCount: 32 });
});

test('DeleteObjects naming the same keys in opposite orders on two nodes: none deadlocks (no retry), results in request order', async () => {
  const bucket = testBucket(`del-order-${Date.now()}`);
  await nodeA.transaction((tx) => tx.control.insertBucket(bucket));
  const dir = mkdtempSync(join(tmpdir(), 'sb-delorder-'));
  try {
    let runs = 0;
    // Each node's ObjectService on a store that counts how often a transaction's function runs.
    const counted = (store: MetadataStore): MetadataStore => ({
      transaction: (fn, isolation) =>
        store.transaction((tx) => {
          runs++;
          return fn(tx);
        }, isolation),
      read: (fn) => store.read(fn),
      close: () => store.close(),
    });
    const blobs = new FsBlobStore({ root: dir });
    const services = [nodeA, nodeB].map(
      (s) => new ObjectService({ store: counted(s), blobs, clock: () => Date.now() }),
    );
    const keys = Array.from({ length: 24 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    for (let round = 0; round < 4; round++) {
      await nodeA.transaction(async (tx) => {
        for (const k of keys) await tx.objects.putObject(objectRow(bucket.id, k));
      });
      runs = 0;
      const forward = keys.map((key) => ({ key }));
      const backward = [...forward].reverse();
      const [a, b] = await Promise.all([
        services[0].deleteObjects(bucket, forward),
        services[1].deleteObjects(bucket, backward),
      ]);
      // Taken in request order, the key locks of the two met in the middle: a deadlock, which
      // PostgreSQL breaks after deadlock_timeout (1 s) by failing one, which was run again.
      assert.equal(runs, 2, `round ${round}: ${runs - 2} runs were retries`);
      assert.deepEqual(
        a.map((r) => r.key),
        keys,
      );
      assert.deepEqual(
        b.map((r) => r.key),
        [...keys].reverse(),
      );
      assert.ok([...a, ...b].every((r) => r.ok));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('twelve perKey "create if absent" writes of one key from two nodes: exactly one creates it', async () => {
  const bucket = testBucket(`absent-${Date.now()}`);
  await nodeA.transaction((tx) => tx.control.insertBucket(bucket));
  for (let round = 0; round < 3; round++) {
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        both(i).transaction(async (tx) => {
          if (await tx.objects.getObject(bucket.id, `once-${round}`, undefined, false)) throw new Error('exists');
          await tx.objects.putObject(objectRow(bucket.id, `once-${round}`, { etag: String(i).padStart(32, '0') }));
        }, 'perKey'),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    assert.equal(won.length, 1, `round ${round}: ${won.length} winners`);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as Error).message, 'exists');
    const o = await nodeB.read((tx) => tx.objects.getObject(bucket.id, `once-${round}`, undefined, false));
    assert.equal(o?.etag, String(won[0]).padStart(32, '0'), 'the stored row is the winner’s');
  }
});

test('a bucket deleted while perKey writes go into it from the other node leaves no orphan rows', async () => {
  for (let round = 0; round < 6; round++) {
    const bucket = testBucket(`pkrace-${round}-${Date.now()}`);
    await nodeA.transaction((tx) => tx.control.insertBucket(bucket));
    const writes = Array.from({ length: 6 }, (_, i) =>
      nodeB.transaction(async (tx) => {
        if (!(await tx.objects.bucketExists(bucket.id))) return 'gone';
        if (i % 2 === 0) await tx.objects.putObject(objectRow(bucket.id, `k${i}`));
        else await tx.objects.insertUpload(uploadRow(bucket.id, `k${i}`, `up-${round}-${i}-${Date.now()}`));
        return 'written';
      }, 'perKey'),
    );
    const deletion = nodeA.transaction(async (tx) => {
      if (await tx.objects.hasContents(bucket.id)) return 'not empty';
      await tx.control.deleteBucket(bucket.id);
      return 'deleted';
    });
    const [outcome, ...written] = await Promise.all([deletion, ...writes]);
    const left = await nodeB.read(async (tx) => ({
      exists: await tx.objects.bucketExists(bucket.id),
      contents: await tx.objects.hasContents(bucket.id),
    }));
    if (outcome === 'deleted') {
      assert.equal(left.contents, false, `round ${round}: rows left in a deleted bucket`);
      assert.ok(!written.includes('written'), `round ${round}: a write committed into the deleted bucket`);
    } else {
      assert.equal(left.exists, true);
      assert.equal(left.contents, written.includes('written'));
    }
  }
});

test('perKey writes racing against one account quota from two nodes: never more bytes than the quota', async () => {
  const accountId = String(Date.now()).slice(-12).padStart(12, '7');
  await nodeA.transaction((tx) =>
    tx.accounts.insertAccount({
      accountId,
      accountName: `quota-${accountId}`,
      createdAt: 1,
      isOperator: false,
      storageQuotaBytes: 10_000,
    }),
  );
  const buckets = [0, 1].map((n) => ({ ...testBucket(`quota-${n}-${Date.now()}`), accountId }));
  for (const b of buckets) await nodeA.transaction((tx) => tx.control.insertBucket(b));
  // 24 writes of 1000 bytes into two buckets of the account: exactly ten fit.
  const results = await Promise.allSettled(
    Array.from({ length: 24 }, (_, i) =>
      both(i).transaction(async (tx) => {
        await tx.objects.putObject(objectRow(buckets[i % 2].id, `q${i}`, { size: 1000 }));
        await assertWithinQuota(tx, accountId);
      }, 'perKey'),
    ),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  for (const r of results) {
    if (r.status === 'rejected') {
      assert.ok(r.reason instanceof DomainError, String(r.reason));
      assert.equal(r.reason.details.reason, 'quota_exceeded');
    }
  }
  assert.equal(await nodeB.read((tx) => tx.accounts.storedBytes(accountId)), 10_000);
});

test('perKey holds a lock per key (and the bucket shared); perBucket one lock for many keys, which perKey writers wait for', async () => {
  const bucket = testBucket(`locks-${Date.now()}`);
  await nodeA.transaction(async (tx) => {
    await tx.control.insertBucket(bucket);
    for (let i = 0; i < 40; i++) await tx.objects.putObject(objectRow(bucket.id, `k${i}`));
  });
  const client = new pg.Client(connectionConfig(url, schema));
  await client.connect();
  try {
    const advisoryLocks = async () =>
      Number(
        (
          await client.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
          )
        ).rows[0].n,
      );
    const deleteIn = async (locking: PgLocking, keys: number) => {
      const repo = new PgObjectIndexRepo(client, locking);
      for (let i = 0; i < keys; i++) await repo.deleteVersion(bucket.id, `k${i}`, 'null');
    };
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await deleteIn('perKey', 3);
    assert.equal(await advisoryLocks(), 4, 'three keys and the bucket');
    await client.query('ROLLBACK');

    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await deleteIn('perBucket', 40);
    assert.equal(await advisoryLocks(), 1, 'the bucket only');
    // A perKey writer in the bucket waits until the perBucket transaction ends, then sees its deletes.
    let written = false;
    const write = nodeB
      .transaction(async (tx) => {
        const before = await tx.objects.getObject(bucket.id, 'k7', undefined, false);
        await tx.objects.putObject(objectRow(bucket.id, 'k7', { size: 77 }));
        return before;
      }, 'perKey')
      .then((before) => {
        written = true;
        return before;
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(written, false, 'the perKey writer waited');
    await client.query('COMMIT');
    assert.equal(await write, undefined, 'it read the state the perBucket transaction committed');
  } finally {
    await client.end();
  }
  const page = await nodeA.read((tx) => tx.objects.listObjects(bucket.id, { prefix: '', maxKeys: 100 }));
  assert.deepEqual(
    page.contents.map((o) => `${o.key}=${o.size}`),
    ['k7=77'],
  );
});

test('an unreachable database is StoreUnavailable(unreachable), never a raw driver error', async () => {
  const dead = openMetadataStore({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' });
  await assert.rejects(
    dead.read(async () => undefined),
    (err: unknown) =>
      err instanceof StoreUnavailable && err.reason === 'unreachable' && /ECONNREFUSED/.test(err.message),
  );
  await dead.close();
});
