/**
 * A node on PostgreSQL losing its database and getting it back, driven with the AWS SDK v3: the
 * liveness check stays 200, `/-/ready` answers 503 while the database is down, requests that need
 * it get 503 (S3 ServiceUnavailable / SlowDown, Lightsail ServiceException) and change nothing, and
 * the node recovers by itself once the database is back, without a restart. The test owns its
 * throwaway cluster (it stops and starts it), so it never disturbs the shared one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GetBucketsCommand } from '@aws-sdk/client-lightsail';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { startPgCluster, type PgCluster } from '../helpers/pgCluster.js';
import { accountsFor, REGION, type Accounts } from '../s3/support/accounts.js';
import type { Creds } from '../s3/support/s3Requests.js';

let cluster: PgCluster;
let node: TestServer;
let acc: Accounts;

const get = async (endpoint: string, path: string): Promise<number> => (await fetch(endpoint + path)).status;
const status = (err: unknown): number | undefined =>
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

before(async () => {
  // This test stops its database: always a cluster of its own, whatever the run shares.
  cluster = await startPgCluster();
  node = await startServer({
    args: ['--metadata-url', cluster.url, '--node-id', 'lonely'],
    env: { SAILBUCKET_MASTER_KEY: randomBytes(32).toString('hex') },
  });
  acc = accountsFor(node.endpoint, node.credentials);
});

after(async () => {
  acc?.close();
  await node?.stop();
  cluster?.stop();
});

test('database down: ready 503, requests 503 without changes, and recovery on its own', async () => {
  const bucket = uniqueBucketName('db-loss');
  await acc.createBucket(bucket);
  const key: Creds = await acc.createKey(bucket);
  const s3 = new S3Client({
    endpoint: node.endpoint,
    region: REGION,
    credentials: key,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'before the outage' }));
  assert.equal(await get(node.endpoint, '/-/ready'), 200);

  const from = node.stderr().length;
  cluster.pause();
  assert.equal(await get(node.endpoint, '/-/health'), 200, 'liveness does not depend on the database');
  assert.equal(await get(node.endpoint, '/-/ready'), 503);
  // Past the caches' 1 s, every S3 request needs the database.
  await new Promise((r) => setTimeout(r, 1100));
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'lost', Body: 'during the outage' })).then(
    () => 'ok',
    (err: unknown) => err,
  );
  assert.equal(status(put), 503, `PUT during the outage: ${String(put)}`);
  assert.match((put as Error).name, /^(ServiceUnavailable|SlowDown)$/);
  const read = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept' })).then(
    () => 'ok',
    (err: unknown) => err,
  );
  assert.equal(status(read), 503, `GET during the outage: ${String(read)}`);
  const control = await acc.lightsail.send(new GetBucketsCommand({})).then(
    () => 'ok',
    (err: unknown) => err,
  );
  assert.equal((control as Error).name, 'ServiceException', String(control));
  await node.waitForStderrLine((l) => l.includes('metadata database unreachable'), from);
  assert.doesNotMatch(node.stderr().slice(from), /"stack"|at async /, 'no stack traces in the log');

  cluster.resume();
  const t0 = Date.now();
  for (;;) {
    if ((await get(node.endpoint, '/-/ready')) === 200) break;
    assert.ok(Date.now() - t0 < 20_000, 'ready again within 20 s of the database coming back');
    await new Promise((r) => setTimeout(r, 100));
  }
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept' }));
  assert.equal(await got.Body?.transformToString(), 'before the outage');
  const lost = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'lost' })).then(
    () => 'ok',
    (err: unknown) => err,
  );
  assert.equal((lost as Error).name, 'NoSuchKey', 'the PUT answered 503 left nothing behind');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after', Body: 'after the outage' }));
  assert.equal(
    await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'after' }))).Body?.transformToString(),
    'after the outage',
  );
  await node.waitForStderrLine((l) => l.includes('metadata database reachable again'), from);
});
