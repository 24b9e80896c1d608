/**
 * A data directory from before accounts (schema without migrations 200–299) starts on the new server:
 * its one account becomes the operator, its buckets and objects stay the operator's, its stored
 * bytes are counted, and new accounts can be added beside it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GetBucketsCommand } from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, adminCall } from '../s3/support/accounts.js';
import { sendAs } from '../s3/support/s3Requests.js';

let server: TestServer | undefined;
after(async () => {
  await server?.stop();
});

/** Turns the database back into the schema released before accounts (versions below 200). */
function downgradeToSingleAccount(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    db.exec(`
      DROP TRIGGER bucket_usage_new_bucket; DROP TRIGGER bucket_usage_version_insert;
      DROP TRIGGER bucket_usage_version_update; DROP TRIGGER bucket_usage_version_delete;
      DROP TRIGGER bucket_usage_part_insert; DROP TRIGGER bucket_usage_part_update;
      DROP TRIGGER bucket_usage_part_delete; DROP TRIGGER bucket_usage_upload_delete;
      DROP TABLE bucket_usage; DROP TABLE account_keys; DROP TABLE accounts; DROP INDEX buckets_by_account;
      DELETE FROM schema_migrations WHERE version >= 200 AND version < 300;`);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%account%'`).all();
    assert.deepEqual(tables, []);
  } finally {
    db.close();
  }
}

test('a single-account data directory migrates: its account becomes the operator with its buckets and bytes', async () => {
  server = await startServer();
  const bucket = uniqueBucketName('old');
  const ops = accountsFor(server.endpoint, server.credentials);
  await ops.createBucket(bucket);
  const root = { kind: 'header' as const, creds: server.credentials };
  for (const [key, body] of [
    ['a.txt', 'a'.repeat(100)],
    ['b.txt', 'b'.repeat(23)],
  ])
    assert.equal((await sendAs(server.endpoint, root, { method: 'PUT', path: `/${bucket}/${key}`, body })).status, 200);
  ops.close();
  // Stopped hard (the helper's only stop that keeps the data directory); the WAL is part of the database.
  await server.kill9();
  downgradeToSingleAccount(join(server.dataDir, 'metadata.db'));

  await server.restart();
  const after1 = await adminCall(server.endpoint, server.credentials, 'GetAccounts', {});
  assert.equal(after1.status, 200, after1.body);
  const accounts = (JSON.parse(after1.body) as { accounts: Record<string, unknown>[] }).accounts;
  assert.deepEqual(accounts, [
    {
      accountId: server.accountId,
      accountName: 'operator',
      createdAt: accounts[0].createdAt,
      isOperator: true,
      storageUsedBytes: 123,
    },
  ]);
  const again = accountsFor(server.endpoint, server.credentials);
  try {
    const buckets = await again.lightsail.send(new GetBucketsCommand({}));
    assert.deepEqual(
      buckets.buckets?.map((b) => b.name),
      [bucket],
    );
    const got = await sendAs(server.endpoint, root, { method: 'GET', path: `/${bucket}/a.txt` });
    assert.equal(got.body, 'a'.repeat(100));
    // The migrated account keeps working as the operator: it adds a tenant, which sees nothing of it.
    const team = await again.createAccount('after-migration');
    const denied = await sendAs(
      server.endpoint,
      { kind: 'header', creds: team.root },
      { method: 'GET', path: `/${bucket}/a.txt` },
    );
    assert.equal(`${denied.status} ${denied.code}`, '403 AccessDenied');
    // The counted bytes follow later writes (the triggers are in place after the migration).
    assert.equal((await sendAs(server.endpoint, root, { method: 'DELETE', path: `/${bucket}/b.txt` })).status, 204);
    const usage = await adminCall(server.endpoint, server.credentials, 'GetAccounts', {});
    const op = (
      JSON.parse(usage.body) as { accounts: { accountId: string; storageUsedBytes: number }[] }
    ).accounts.find((a) => a.accountId === server!.accountId);
    assert.equal(op?.storageUsedBytes, 100);
  } finally {
    again.close();
  }
  // Restarting again keeps the accounts (ids and names survive restarts).
  await server.restart();
  const later = await adminCall(server.endpoint, server.credentials, 'GetAccounts', {});
  const names = (JSON.parse(later.body) as { accounts: { accountName: string }[] }).accounts.map((a) => a.accountName);
  assert.deepEqual(names.sort(), ['after-migration', 'operator']);
});

test('a data directory whose operator account is not the configured account refuses to start, saying why', async () => {
  const first = await startServer();
  try {
    await first.kill9();
    rmSync(join(first.dataDir, 'account.json'));
    await assert.rejects(
      startServer({ dataDir: first.dataDir, accountId: '999999999999', startTimeoutMs: 20_000 }),
      (e: unknown) =>
        e instanceof Error &&
        e.message.includes(`operator account is ${first.accountId}, not 999999999999`) &&
        !/\bat .+:\d+:\d+/.test(e.message),
    );
  } finally {
    await first.stop();
  }
});
