/**
 * Contract suite for the accounts part of a MetadataStore (AccountRepo). Every implementation
 * (SQLite, PostgreSQL) registers it with its own factory; each test gets a fresh store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreConflict } from '../../src/domain/ports/ControlPlaneRepo.js';
import type { AccountKeyRecord, AccountRecord } from '../../src/domain/ports/records.js';
import { bucketFixture, type StoreFactory } from './controlPlaneContract.js';
import { fakeBlob, objectRow, uploadRow } from './objectIndexContract.js';

let seq = 0;
const accountFixture = (over: Partial<AccountRecord> = {}): AccountRecord => ({
  accountId: String(200000000000 + process.pid * 1000 + ++seq),
  accountName: `acct-${process.pid}-${seq}`,
  createdAt: 1_700_000_000_000,
  isOperator: false,
  storageQuotaBytes: null,
  ...over,
});
const keyFixture = (accountId: string, over: Partial<AccountKeyRecord> = {}): AccountKeyRecord => ({
  accessKeyId: `SBRT${String(++seq).padStart(16, '0')}`,
  accountId,
  sealedSecret: 'v1:sealed',
  createdAt: 1_700_000_000_000 + seq,
  ...over,
});

async function conflict(p: Promise<unknown>, constraint: StoreConflict['constraint']): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof StoreConflict && e.constraint === constraint);
}

export function accountContract(name: string, make: StoreFactory): void {
  test(`${name} accounts: insert, get, operator, list by id, quota, unique name and id, one operator`, async () => {
    const store = await make();
    try {
      const op = accountFixture({ accountId: '100000000001', accountName: 'operator', isOperator: true });
      const a = accountFixture({ accountId: '300000000003' });
      const b = accountFixture({ accountId: '200000000002', storageQuotaBytes: 5 });
      await store.transaction(async (tx) => {
        for (const x of [op, a, b]) await tx.accounts.insertAccount(x);
      });
      await store.read(async (tx) => {
        assert.deepEqual(await tx.accounts.getAccount(a.accountId), a);
        assert.deepEqual(await tx.accounts.getOperator(), op);
        assert.equal(await tx.accounts.getAccount('999999999999'), undefined);
        assert.deepEqual(
          (await tx.accounts.listAccounts(undefined, 10)).map((x) => x.accountId),
          ['100000000001', '200000000002', '300000000003'],
        );
        assert.deepEqual(
          (await tx.accounts.listAccounts('100000000001', 1)).map((x) => x.accountId),
          ['200000000002'],
        );
      });
      await store.transaction((tx) => tx.accounts.setStorageQuota(b.accountId, null));
      await store.transaction((tx) => tx.accounts.setStorageQuota(a.accountId, 1234));
      await store.read(async (tx) => {
        assert.equal((await tx.accounts.getAccount(b.accountId))?.storageQuotaBytes, null);
        assert.equal((await tx.accounts.getAccount(a.accountId))?.storageQuotaBytes, 1234);
      });
      await conflict(
        store.transaction((tx) => tx.accounts.insertAccount(accountFixture({ accountName: a.accountName }))),
        'account_name_unique',
      );
      await conflict(
        store.transaction((tx) => tx.accounts.insertAccount(accountFixture({ accountId: a.accountId }))),
        'account_id_unique',
      );
      await assert.rejects(store.transaction((tx) => tx.accounts.insertAccount(accountFixture({ isOperator: true }))));
    } finally {
      await store.close();
    }
  });

  test(`${name} accounts: at most two root keys, lookup by id, delete; deleting an account takes its keys`, async () => {
    const store = await make();
    try {
      const a = accountFixture();
      const k1 = keyFixture(a.accountId);
      const k2 = keyFixture(a.accountId);
      await store.transaction(async (tx) => {
        await tx.accounts.insertAccount(a);
        await tx.accounts.insertAccountKey(k1, 2);
        await tx.accounts.insertAccountKey(k2, 2);
      });
      await conflict(
        store.transaction((tx) => tx.accounts.insertAccountKey(keyFixture(a.accountId), 2)),
        'account_key_limit',
      );
      await store.read(async (tx) => {
        assert.deepEqual(await tx.accounts.getAccountKey(k1.accessKeyId), k1);
        assert.deepEqual(await tx.accounts.listAccountKeys(a.accountId), [k1, k2]);
      });
      await store.transaction((tx) => tx.accounts.deleteAccountKey(k1.accessKeyId));
      const k3 = keyFixture(a.accountId);
      await store.transaction((tx) => tx.accounts.insertAccountKey(k3, 2));
      const b = accountFixture();
      await store.transaction((tx) => tx.accounts.insertAccount(b));
      await conflict(
        store.transaction((tx) =>
          tx.accounts.insertAccountKey({ ...keyFixture(b.accountId), accessKeyId: k2.accessKeyId }, 2),
        ),
        'access_key_id_unique',
      );
      await store.transaction((tx) => tx.accounts.deleteAccount(a.accountId));
      await store.read(async (tx) => {
        assert.equal(await tx.accounts.getAccount(a.accountId), undefined);
        assert.equal(await tx.accounts.getAccountKey(k2.accessKeyId), undefined);
        assert.deepEqual(await tx.accounts.listAccountKeys(a.accountId), []);
      });
    } finally {
      await store.close();
    }
  });

  test(`${name} accounts: root keys' sealed secrets are listed and re-sealed with the bucket keys' (master-key rotation)`, async () => {
    const store = await make();
    try {
      const a = accountFixture();
      const k = keyFixture(a.accountId, { sealedSecret: 'v1:account-root' });
      await store.transaction(async (tx) => {
        await tx.accounts.insertAccount(a);
        await tx.accounts.insertAccountKey(k, 2);
      });
      const listed = await store.read((tx) => tx.control.listSealedSecrets());
      assert.deepEqual(
        listed.filter((x) => x.accessKeyId === k.accessKeyId),
        [{ accessKeyId: k.accessKeyId, sealedSecret: 'v1:account-root' }],
      );
      await store.transaction((tx) => tx.control.setSealedSecret(k.accessKeyId, 'v1:resealed'));
      assert.equal((await store.read((tx) => tx.accounts.getAccountKey(k.accessKeyId)))?.sealedSecret, 'v1:resealed');
    } finally {
      await store.close();
    }
  });

  test(`${name} accounts: stored bytes count every version and every unfinished part, per account`, async () => {
    const store = await make();
    try {
      const a = accountFixture();
      const other = accountFixture();
      const b1 = bucketFixture({ accountId: a.accountId });
      const b2 = bucketFixture({ accountId: a.accountId });
      const foreign = bucketFixture({ accountId: other.accountId });
      const used = () =>
        store.read(async (tx) => [
          await tx.accounts.storedBytes(a.accountId),
          await tx.accounts.storedBytes(other.accountId),
        ]);
      await store.transaction(async (tx) => {
        await tx.accounts.insertAccount(a);
        await tx.accounts.insertAccount(other);
        for (const b of [b1, b2, foreign]) await tx.control.insertBucket(b);
      });
      assert.deepEqual(await used(), [0, 0]);
      await store.transaction(async (tx) => {
        await tx.objects.putObject(objectRow(b1.id, 'a', { size: 100 }));
        await tx.objects.putObject(objectRow(b2.id, 'b', { size: 7 }));
        await tx.objects.putObject(objectRow(foreign.id, 'c', { size: 1000 }));
      });
      assert.deepEqual(await used(), [107, 1000]);
      // Replacing the null version counts the new size only.
      await store.transaction((tx) => tx.objects.putObject(objectRow(b1.id, 'a', { size: 40 })));
      assert.deepEqual(await used(), [47, 1000]);
      // Versions add up; a delete marker counts 0.
      await store.transaction(async (tx) => {
        await tx.objects.putObject(objectRow(b2.id, 'v', { size: 5, versionId: 'v1' }));
        await tx.objects.putObject(objectRow(b2.id, 'v', { size: 6, versionId: 'v2' }));
        await tx.objects.putObject(
          objectRow(b2.id, 'v', { size: 0, versionId: 'm1', isDeleteMarker: true, segments: [] }),
        );
      });
      assert.deepEqual(await used(), [58, 1000]);
      // Parts of unfinished uploads count; replacing a part counts the new one; aborting frees them all.
      await store.transaction(async (tx) => {
        await tx.objects.insertUpload(uploadRow(b1.id, 'mp', 'up-1'));
        for (const [n, size] of [
          [1, 30],
          [2, 20],
          [2, 25],
        ])
          await tx.objects.putPart({
            uploadId: 'up-1',
            partNumber: n,
            blobId: fakeBlob(),
            size,
            etag: 'f'.repeat(32),
            lastModified: 1,
          });
      });
      assert.deepEqual(await used(), [113, 1000]);
      await store.transaction((tx) => tx.objects.deleteUpload('up-1'));
      assert.deepEqual(await used(), [58, 1000]);
      await store.transaction((tx) => tx.objects.deleteVersion(b2.id, 'v', 'v1'));
      assert.deepEqual(await used(), [53, 1000]);
      // Deleting a bucket's contents and the bucket drops its bytes.
      await store.transaction(async (tx) => {
        await tx.objects.insertUpload(uploadRow(b2.id, 'mp2', 'up-2'));
        await tx.objects.putPart({
          uploadId: 'up-2',
          partNumber: 1,
          blobId: fakeBlob(),
          size: 9,
          etag: 'f'.repeat(32),
          lastModified: 1,
        });
      });
      assert.deepEqual(await used(), [62, 1000]);
      await store.transaction(async (tx) => {
        await tx.objects.deleteAllInBucket(b2.id);
        await tx.control.deleteBucket(b2.id);
      });
      assert.deepEqual(await used(), [40, 1000]);
      await store.read(async (tx) => {
        assert.deepEqual(await tx.accounts.listAccountBuckets(a.accountId), [{ id: b1.id, name: b1.name }]);
      });
    } finally {
      await store.close();
    }
  });
}
