/**
 * A PostgreSQL database made before migrations 101 (foreign keys from object rows and uploads to
 * their bucket) and 202 (bucket usage in shard rows) upgrades in place: the bytes each bucket
 * stores are kept, new writes add to them, and the new foreign keys hold for new rows.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { migratePg } from '../../src/store/metadata/postgres/migrations.js';
import { pgMigrations } from '../../src/store/metadata/postgres/schema.js';
import { connectionConfig } from '../../src/store/metadata/postgres/sql.js';
import { PgAccountRepo } from '../../src/store/metadata/postgres/PgAccountRepo.js';
import { PgControlPlaneRepo } from '../../src/store/metadata/postgres/PgControlPlaneRepo.js';
import { PgObjectIndexRepo } from '../../src/store/metadata/postgres/PgObjectIndexRepo.js';
import { openMetadataStore } from '../../src/store/factory.js';
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { testPostgres } from '../helpers/postgres.js';
import { testBucket } from '../domain/objectsFixture.js';
import { objectRow, uploadRow } from './objectIndexContract.js';

const NEW = new Set([101, 202]);
let client: pg.Client;
let url: string;
let schema: string;
let store: MetadataStore | undefined;

before(async () => {
  const p = await testPostgres();
  url = p.url;
  schema = p.freshSchema();
  client = new pg.Client(connectionConfig(url, schema));
  await client.connect();
});

test('a database from before migrations 101 and 202 keeps its bucket usage and gains the foreign keys', async (t) => {
  // Closed when this test ends: the root `after` of helpers/postgres.ts (registered first, so run
  // first) drops the database and would cut these connections.
  t.after(async () => {
    await store?.close();
    await client.end();
  });
  const applied = await migratePg(
    client,
    pgMigrations.filter((m) => !NEW.has(m.version)),
    schema,
  );
  assert.ok(!applied.some((v) => NEW.has(v)));
  const accountId = '444455556666';
  await new PgAccountRepo(client).insertAccount({
    accountId,
    accountName: 'upgrade',
    createdAt: 1,
    isOperator: false,
    storageQuotaBytes: null,
  });
  const buckets = [0, 1].map((n) => ({ ...testBucket(`upgrade-${n}`), accountId }));
  const control = new PgControlPlaneRepo(client);
  const objects = new PgObjectIndexRepo(client);
  for (const b of buckets) await control.insertBucket(b);
  await objects.putObject(objectRow(buckets[0].id, 'a', { size: 100 }));
  await objects.putObject(objectRow(buckets[0].id, 'b', { size: 20 }));
  await objects.putObject(objectRow(buckets[1].id, 'c', { size: 3 }));
  assert.equal(await new PgAccountRepo(client).storedBytes(accountId), 123);

  assert.deepEqual(await migratePg(client, pgMigrations, schema), [101, 202]);
  assert.equal(await new PgAccountRepo(client).storedBytes(accountId), 123, 'the usage kept');

  store = openMetadataStore({ kind: 'postgres', url, schema, poolSize: 2 });
  await store.transaction(async (tx) => {
    await tx.objects.putObject(objectRow(buckets[1].id, 'd', { size: 1000 }));
    await tx.objects.putObject(objectRow(buckets[0].id, 'a', { size: 50 }));
  }, 'perKey');
  assert.equal(await store.read((tx) => tx.accounts.storedBytes(accountId)), 1073);
  assert.deepEqual(await store.read((tx) => tx.objects.bucketStats(buckets[0].id)), {
    sizeBytes: 70,
    objectCount: 2,
  });

  const gone = testBucket('never-created');
  await assert.rejects(
    new PgObjectIndexRepo(client).putObject(objectRow(gone.id, 'x')),
    (err: { code?: string; constraint?: string }) =>
      err.code === '23503' && err.constraint === 'object_versions_bucket',
  );
  await assert.rejects(
    new PgObjectIndexRepo(client).insertUpload(uploadRow(gone.id, 'x', 'up-x')),
    (err: { code?: string; constraint?: string }) => err.code === '23503' && err.constraint === 'uploads_bucket',
  );
});
