/**
 * Concurrent writers in ONE bucket on PostgreSQL metadata: two `serve` processes (durable, the
 * default) sharing one database, driven by the AWS SDK v3 with retries off (maxAttempts: 1), so a
 * 503 SlowDown from a transaction that kept losing to concurrent ones shows as a failure. Writes to
 * distinct keys must never conflict (as on S3); writes to one key still serialize: If-None-Match: *
 * has exactly one winner, and a versioned bucket keeps every version with exactly one latest.
 * PostgreSQL comes from test/helpers/postgres.ts (never skipped).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { testPostgres } from '../helpers/postgres.js';
import { accountsFor, REGION, type Accounts } from '../s3/support/accounts.js';
import type { Creds } from '../s3/support/s3Requests.js';

const ACCOUNT = '123456789012';
const root: Creds = { accessKeyId: 'SBCONCURRENTROOT0001', secretAccessKey: randomBytes(30).toString('base64') };
let dataDir: string;
let url: string;
let a: TestServer;
let b: TestServer;
let acc: Accounts;

const startNode = (nodeId: string): Promise<TestServer> =>
  startServer({
    dataDir,
    accountId: ACCOUNT,
    args: ['--metadata-url', url, '--node-id', nodeId],
    env: {
      SAILBUCKET_ROOT_ACCESS_KEY_ID: root.accessKeyId,
      SAILBUCKET_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
      SAILBUCKET_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  });

/** No SDK retries: a 503 must show. */
const s3 = (endpoint: string, creds: Creds) =>
  new S3Client({ endpoint, region: REGION, credentials: creds, forcePathStyle: true, maxAttempts: 1 });

const statusOf = (r: PromiseSettledResult<unknown>): number =>
  r.status === 'fulfilled'
    ? 200
    : ((r.reason as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1);

const describe = (results: PromiseSettledResult<unknown>[]): string =>
  JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? 200 : `${statusOf(r)} ${(r.reason as Error).name}`)));

let clients: S3Client[];
let bucketN = 0;

async function newBucket(versioned = false): Promise<string> {
  const bucket = uniqueBucketName(`cw${++bucketN}`);
  await acc.createBucket(bucket);
  if (versioned) {
    await clients[0].send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    // Each node caches the bucket record for up to ~1 s.
    await new Promise((r) => setTimeout(r, 1200));
  }
  return bucket;
}

before(async () => {
  url = (await testPostgres()).url;
  dataDir = mkdtempSync(join(tmpdir(), 'sb-concurrent-'));
  [a, b] = await Promise.all([startNode('cw-a'), startNode('cw-b')]);
  acc = accountsFor(a.endpoint, root);
  clients = [s3(a.endpoint, root), s3(b.endpoint, root)];
});

after(async () => {
  for (const c of clients ?? []) c.destroy();
  acc?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('32 concurrent writers PUTting distinct keys into one bucket over two nodes: all succeed, all are listed', async () => {
  const bucket = await newBucket();
  // Each writer PUTs its own keys one after another (new keys, then overwrites of them), so that
  // 32 transactions are in flight the whole time, as under sustained load.
  const writers = 32;
  const perWriter = 6;
  const keyOf = (w: number, j: number) => `w${String(w).padStart(2, '0')}/k${j % 3}`;
  const sizeOf = (j: number) => (j % 2 === 0 ? 1000 : 300_000);
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let j = 0; j < perWriter; j++) {
        const Key = keyOf(w, j);
        try {
          await clients[w % 2].send(new PutObjectCommand({ Bucket: bucket, Key, Body: Buffer.alloc(sizeOf(j), w) }));
        } catch (err) {
          failures.push(`${Key}: ${statusOf({ status: 'rejected', reason: err })} ${(err as Error).name}`);
        }
      }
    }),
  );
  assert.deepEqual(failures, [], `${failures.length} of ${writers * perWriter} PUTs failed`);
  const listed = await clients[1].send(new ListObjectsV2Command({ Bucket: bucket }));
  const expected = Array.from({ length: writers }, (_, w) => [0, 1, 2].map((k) => keyOf(w, k))).flat();
  assert.deepEqual(
    listed.Contents?.map((o) => o.Key),
    expected,
  );
  // The last PUT of k0 (j = 3) was 300 000 bytes, of k1 (j = 4) 1000, of k2 (j = 5) 300 000.
  assert.deepEqual(
    [...new Set(listed.Contents?.map((o) => `${o.Key!.slice(4)}=${o.Size}`))],
    ['k0=300000', 'k1=1000', 'k2=300000'],
  );
});

test('concurrent CopyObject, DeleteObject(s) and CompleteMultipartUpload on distinct keys of one bucket all succeed', async () => {
  const bucket = await newBucket();
  await clients[0].send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'source' }));
  const doomed = Array.from({ length: 8 }, (_, i) => `gone-${i}`);
  // Deleted by one DeleteObjects of more keys than a per-key transaction takes (it locks the bucket).
  const many = Array.from({ length: 40 }, (_, i) => `many-${String(i).padStart(2, '0')}`);
  await Promise.all(
    [...doomed, ...many].map((Key) => clients[0].send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))),
  );
  const uploads = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const Key = `mpu-${i}`;
      const c = clients[i % 2];
      const up = await c.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
      const part = await c.send(
        new UploadPartCommand({ Bucket: bucket, Key, UploadId: up.UploadId, PartNumber: 1, Body: `part ${i}` }),
      );
      return { Key, UploadId: up.UploadId!, ETag: part.ETag! };
    }),
  );
  const ops: Promise<unknown>[] = [
    ...Array.from({ length: 8 }, (_, i) =>
      clients[i % 2].send(new CopyObjectCommand({ Bucket: bucket, Key: `copy-${i}`, CopySource: `${bucket}/src` })),
    ),
    ...doomed.map((Key, i) => clients[i % 2].send(new DeleteObjectCommand({ Bucket: bucket, Key }))),
    clients[1].send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: many.map((Key) => ({ Key })), Quiet: true } }),
    ),
    ...uploads.map((u, i) =>
      clients[i % 2].send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: u.Key,
          UploadId: u.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: u.ETag }] },
        }),
      ),
    ),
    ...Array.from({ length: 8 }, (_, i) =>
      clients[i % 2].send(new PutObjectCommand({ Bucket: bucket, Key: `put-${i}`, Body: `put ${i}` })),
    ),
  ];
  const results = await Promise.allSettled(ops);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, ops.length, describe(results));
  const listed = await clients[1].send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  assert.deepEqual(keys, [
    ...Array.from({ length: 8 }, (_, i) => `copy-${i}`),
    ...uploads.map((u) => u.Key),
    ...Array.from({ length: 8 }, (_, i) => `put-${i}`),
    'src',
  ]);
  const body = await clients[0].send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu-5' }));
  assert.equal(await body.Body?.transformToString(), 'part 5');
});

test('16 concurrent If-None-Match: * PUTs of one key over two nodes: exactly one 200, the others 412', async () => {
  const bucket = await newBucket();
  for (let round = 0; round < 3; round++) {
    const Key = `once-${round}`;
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        clients[i % 2].send(new PutObjectCommand({ Bucket: bucket, Key, Body: `writer ${i}`, IfNoneMatch: '*' })),
      ),
    );
    const statuses = results.map(statusOf);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `round ${round}: ${describe(results)}`);
    assert.equal(statuses.filter((s) => s === 412).length, 15, `round ${round}: ${describe(results)}`);
    const winner = statuses.indexOf(200);
    const got = await clients[1 - (winner % 2)].send(new GetObjectCommand({ Bucket: bucket, Key }));
    assert.equal(await got.Body?.transformToString(), `writer ${winner}`);
  }
});

test('16 concurrent PUTs of one key in a versioned bucket: every version kept, exactly one latest', async () => {
  const bucket = await newBucket(true);
  const results = await Promise.allSettled(
    Array.from({ length: 16 }, (_, i) =>
      clients[i % 2].send(new PutObjectCommand({ Bucket: bucket, Key: 'hot', Body: `version ${i}` })),
    ),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 16, describe(results));
  const ids = results.map((r) => (r as PromiseFulfilledResult<{ VersionId?: string }>).value.VersionId);
  const listed = await clients[0].send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const versions = listed.Versions ?? [];
  assert.equal(versions.length, 16);
  assert.deepEqual(new Set(versions.map((v) => v.VersionId)), new Set(ids));
  assert.equal(versions.filter((v) => v.IsLatest).length, 1);
  assert.ok(versions[0].IsLatest, 'the newest version (listed first) is the latest');
  const latest = await clients[1].send(new GetObjectCommand({ Bucket: bucket, Key: 'hot' }));
  assert.equal(latest.VersionId, versions[0].VersionId, 'GET answers the latest version');
});
