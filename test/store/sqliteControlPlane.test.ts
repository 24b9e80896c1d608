import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { bucketFixture, keyFixture } from './controlPlaneContract.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-cp-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newPath = () => join(dir, `meta-${++n}.db`);

test('sqlite: data survives closing and reopening the file', async () => {
  const path = newPath();
  const b = bucketFixture();
  const k = keyFixture(b);
  const first = new SqliteMetadataStore({ path });
  await first.transaction(async (tx) => {
    await tx.control.insertBucket(b);
    await tx.control.insertAccessKey(k, 2);
  });
  await first.close();
  const second = new SqliteMetadataStore({ path });
  try {
    assert.deepEqual(await second.read((tx) => tx.control.getBucketByName(b.name)), b);
    assert.deepEqual(await second.read((tx) => tx.control.getAccessKey(k.accessKeyId)), k);
  } finally {
    await second.close();
  }
});

test('sqlite: the schema refuses a third key even when the count check is skipped', async () => {
  const path = newPath();
  const b = bucketFixture();
  const store = new SqliteMetadataStore({ path });
  await store.transaction((tx) => tx.control.insertBucket(b));
  await store.close();
  const db = new Database(path);
  try {
    db.pragma('foreign_keys = ON');
    const insert =
      db.prepare(`INSERT INTO access_keys (access_key_id, bucket_id, slot, account_id, sealed_secret, status, created_at)
      VALUES (?, ?, ?, ?, 'v1:x', 'Active', 0)`);
    insert.run('AKIARAWINSERT0000001', b.id, 0, b.accountId);
    insert.run('AKIARAWINSERT0000002', b.id, 1, b.accountId);
    assert.throws(() => insert.run('AKIARAWINSERT0000003', b.id, 1, b.accountId), /UNIQUE/);
    assert.throws(() => insert.run('AKIARAWINSERT0000004', b.id, 2, b.accountId), /CHECK/);
    assert.throws(() => insert.run('AKIARAWINSERT0000005', 'no-such-bucket', 0, b.accountId), /FOREIGN KEY/);
  } finally {
    db.close();
  }
});
