/**
 * Two `serve` processes on 127.0.0.1 sharing one PostgreSQL database and one data directory, driven
 * with the AWS SDK v3 clients (and hand-signed requests for anonymous reads): what one node does,
 * the other sees; the invariants hold when requests race across nodes; a revoked key or a bucket
 * made private stops working on the other node within 1 s; kill -9 of one node leaves the other
 * serving (and leading the background jobs). PostgreSQL comes from test/helpers/postgres.ts
 * (never skipped).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketAccessKeyCommand,
  GetBucketAccessKeysCommand,
  GetBucketsCommand,
  UpdateBucketCommand,
} from '@aws-sdk/client-lightsail';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { testPostgres } from '../helpers/postgres.js';
import { accountsFor, REGION, type Accounts } from '../s3/support/accounts.js';
import { sendAs, type Creds } from '../s3/support/s3Requests.js';

const ACCOUNT = '123456789012';
const root: Creds = { accessKeyId: 'SBMULTINODEROOT00001', secretAccessKey: randomBytes(30).toString('base64') };
const masterKey = randomBytes(32).toString('base64');
let dataDir: string;
let url: string;
let a: TestServer;
let b: TestServer;
let accA: Accounts;
let accB: Accounts;

const startNode = (nodeId: string): Promise<TestServer> =>
  startServer({
    dataDir,
    accountId: ACCOUNT,
    args: ['--metadata-url', url, '--node-id', nodeId, '--access-log-interval', '1'],
    env: {
      SAILBUCKET_ROOT_ACCESS_KEY_ID: root.accessKeyId,
      SAILBUCKET_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
      SAILBUCKET_MASTER_KEY: masterKey,
    },
  });

const s3 = (endpoint: string, creds: Creds) =>
  new S3Client({ endpoint, region: REGION, credentials: creds, forcePathStyle: true, maxAttempts: 1 });

const text = async (out: { Body?: { transformToString(): Promise<string> } }) =>
  (await out.Body?.transformToString()) ?? '';

/** Polls `check` every 20 ms until it holds; returns the milliseconds it took (fails past `limitMs`). */
async function within(limitMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > limitMs) assert.fail(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  url = (await testPostgres()).url;
  dataDir = mkdtempSync(join(tmpdir(), 'sb-multinode-'));
  // Both nodes start at once: the migrations run under the advisory lock, once.
  [a, b] = await Promise.all([startNode('node-a'), startNode('node-b')]);
  accA = accountsFor(a.endpoint, root);
  accB = accountsFor(b.endpoint, root);
});

after(async () => {
  accA?.close();
  accB?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('each node keeps its temporary files under its own node id', () => {
  assert.deepEqual(readdirSync(join(dataDir, 'blobs', 'tmp')).sort(), ['node-a', 'node-b']);
});

test('a second process with a live node id is refused with a clear message', async () => {
  await assert.rejects(startNode('node-a'), /node id 'node-a' is in use by a live node/);
});

test('a bucket and an object made on one node are read on the other', async () => {
  const bucket = uniqueBucketName('mn-read');
  await accA.createBucket(bucket);
  const listed = await accB.lightsail.send(new GetBucketsCommand({ bucketName: bucket }));
  assert.equal(listed.buckets?.[0]?.name, bucket);
  const key = await accB.createKey(bucket);
  await s3(a.endpoint, key).send(new PutObjectCommand({ Bucket: bucket, Key: 'small.txt', Body: 'hello' }));
  const big = randomBytes(300_000);
  await s3(a.endpoint, key).send(new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: big }));
  assert.equal(
    await text(await s3(b.endpoint, key).send(new GetObjectCommand({ Bucket: bucket, Key: 'small.txt' }))),
    'hello',
  );
  const got = await s3(b.endpoint, key).send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
  assert.ok(
    Buffer.from(await got.Body!.transformToByteArray()).equals(big),
    'the blob written by node A is read by node B',
  );
});

test('at most two keys per bucket when four creations race over both nodes', async () => {
  const bucket = uniqueBucketName('mn-keys');
  await accA.createBucket(bucket);
  const results = await Promise.allSettled(
    [accA, accB, accA, accB].map((acc) => acc.lightsail.send(new CreateBucketAccessKeyCommand({ bucketName: bucket }))),
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  assert.equal(ok.length, 2, `exactly two succeed: ${JSON.stringify(results.map((r) => r.status))}`);
  for (const r of results) {
    if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'InvalidInputException', String(r.reason));
  }
  const keys = await accB.lightsail.send(new GetBucketAccessKeysCommand({ bucketName: bucket }));
  assert.equal(keys.accessKeys?.length, 2);
});

test('If-None-Match: * PUTs racing over both nodes have exactly one winner', async () => {
  const bucket = uniqueBucketName('mn-cond');
  await accA.createBucket(bucket);
  const key = await accA.createKey(bucket);
  const clients = [s3(a.endpoint, key), s3(b.endpoint, key)];
  for (let round = 0; round < 3; round++) {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        clients[i % 2].send(
          new PutObjectCommand({ Bucket: bucket, Key: `once-${round}`, Body: `writer ${i}`, IfNoneMatch: '*' }),
        ),
      ),
    );
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    assert.equal(winners.length, 1, `round ${round}: one winner, got ${winners.length}`);
    for (const r of results) {
      if (r.status === 'rejected') {
        const status = (r.reason as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        assert.ok(status === 412 || status === 409, `loser answered ${status}: ${String(r.reason)}`);
      }
    }
    const body = await text(
      await clients[1 - (winners[0] % 2)].send(new GetObjectCommand({ Bucket: bucket, Key: `once-${round}` })),
    );
    assert.equal(body, `writer ${winners[0]}`, 'the stored object is the winner’s, read on either node');
  }
});

test('a multipart upload whose parts go through different nodes completes on either', async () => {
  const bucket = uniqueBucketName('mn-mpu');
  await accB.createBucket(bucket);
  const key = await accB.createKey(bucket);
  const [ca, cb] = [s3(a.endpoint, key), s3(b.endpoint, key)];
  const up = await ca.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu.bin' }));
  const p1 = randomBytes(5 * 1024 * 1024);
  const p2 = randomBytes(1234);
  const [r1, r2] = await Promise.all([
    ca.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu.bin', UploadId: up.UploadId, PartNumber: 1, Body: p1 })),
    cb.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu.bin', UploadId: up.UploadId, PartNumber: 2, Body: p2 })),
  ]);
  await cb.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'mpu.bin',
      UploadId: up.UploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: r1.ETag },
          { PartNumber: 2, ETag: r2.ETag },
        ],
      },
    }),
  );
  const got = await ca.send(new GetObjectCommand({ Bucket: bucket, Key: 'mpu.bin' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, p2])));
});

test('a key deleted or deactivated on one node stops working on the other within 1 s', async () => {
  const bucket = uniqueBucketName('mn-revoke');
  await accA.createBucket(bucket);
  for (const how of ['deactivate', 'delete'] as const) {
    const key = await accA.createKey(bucket);
    const onB = s3(b.endpoint, key);
    // Node B resolves and caches the key.
    await onB.send(new PutObjectCommand({ Bucket: bucket, Key: 'warm', Body: 'x' }));
    await onB.send(new GetObjectCommand({ Bucket: bucket, Key: 'warm' }));
    const t0 = Date.now();
    if (how === 'delete') await accA.deleteKey(bucket, key.accessKeyId);
    else await accA.setKeyStatus(bucket, key.accessKeyId, 'Inactive');
    const ms = await within(1000, `${how}d key refused on node B`, async () => {
      const r = await sendAs(b.endpoint, { kind: 'header', creds: key }, { method: 'GET', path: `/${bucket}/warm` });
      return r.status === 403;
    });
    assert.ok(Date.now() - t0 <= 1000 + 50, `${how}: ${ms} ms`);
  }
});

test('a bucket made private on one node stops answering anonymous reads on the other within 1 s', async () => {
  const bucket = uniqueBucketName('mn-private');
  await accA.createBucket(bucket);
  const key = await accA.createKey(bucket);
  await s3(a.endpoint, key).send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'public' }));
  await accA.lightsail.send(
    new UpdateBucketCommand({ bucketName: bucket, accessRules: { getObject: 'public', allowPublicOverrides: false } }),
  );
  await within(1000, 'public on node B', async () => {
    const r = await sendAs(b.endpoint, { kind: 'anonymous' }, { method: 'GET', path: `/${bucket}/doc` });
    return r.status === 200;
  });
  await accA.lightsail.send(
    new UpdateBucketCommand({ bucketName: bucket, accessRules: { getObject: 'private', allowPublicOverrides: false } }),
  );
  await within(1000, 'private on node B', async () => {
    const r = await sendAs(b.endpoint, { kind: 'anonymous' }, { method: 'GET', path: `/${bucket}/doc` });
    return r.status === 403;
  });
});

test('access logs of requests on both nodes go through the shared spool and are delivered once', async () => {
  const source = uniqueBucketName('mn-logged');
  const logs = uniqueBucketName('mn-logs');
  await accA.createBucket(source);
  await accA.createBucket(logs);
  await accA.lightsail.send(
    new UpdateBucketCommand({
      bucketName: source,
      accessLogConfig: { enabled: true, destination: logs, prefix: 'al/' },
    }),
  );
  const onA = s3(a.endpoint, root);
  const onB = s3(b.endpoint, root);
  try {
    // The bucket record is cached up to ~1 s per node: write once logging is seen everywhere.
    await new Promise((r) => setTimeout(r, 1200));
    await onA.send(new PutObjectCommand({ Bucket: source, Key: 'written-via-a', Body: 'a' }));
    await onB.send(new PutObjectCommand({ Bucket: source, Key: 'written-via-b', Body: 'b' }));
    let all = '';
    await within(20_000, 'both records delivered', async () => {
      const listed = (await onA.send(new ListObjectsV2Command({ Bucket: logs, Prefix: 'al/' }))).Contents ?? [];
      const bodies = await Promise.all(
        listed.map(async (o) => text(await onA.send(new GetObjectCommand({ Bucket: logs, Key: o.Key })))),
      );
      all = bodies.join('');
      return all.includes('written-via-a') && all.includes('written-via-b');
    });
    for (const key of ['written-via-a', 'written-via-b']) {
      const lines = all.split('\n').filter((l) => l.includes(` REST.PUT.OBJECT ${key} `));
      assert.equal(lines.length, 1, `one record of the PUT of ${key}, delivered once:\n${all}`);
    }
  } finally {
    onA.destroy();
    onB.destroy();
  }
});

test('kill -9 of one node: the other keeps serving and takes over the background jobs; the node comes back', async () => {
  const bucket = uniqueBucketName('mn-kill');
  await accA.createBucket(bucket);
  const key = await accA.createKey(bucket);
  await s3(a.endpoint, key).send(new PutObjectCommand({ Bucket: bucket, Key: 'before', Body: 'kept' }));
  const aLed = a.stderr().includes('this node leads');
  const victim = aLed ? a : b;
  const survivor = aLed ? b : a;
  const from = survivor.stderr().length;
  await victim.kill9();
  const c = s3(survivor.endpoint, key);
  assert.equal(await text(await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'before' }))), 'kept');
  await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'after', Body: 'written while the other node is down' }));
  assert.equal(
    await text(await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'after' }))),
    'written while the other node is down',
  );
  await survivor.waitForStderrLine((l) => l.includes('this node leads'), from, 10_000);
  // Its session died with it, so the killed node's id is free again at once.
  await victim.restart();
  const back = s3(victim.endpoint, key);
  assert.equal(
    await text(await back.send(new GetObjectCommand({ Bucket: bucket, Key: 'after' }))),
    'written while the other node is down',
  );
});
