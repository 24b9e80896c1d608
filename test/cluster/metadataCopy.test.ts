/**
 * `sailbucket metadata copy --from DATA_DIR --to postgres://…`: an embedded installation with
 * buckets, keys, versions and delete markers, small (inline) and large (blob) objects, a completed
 * multipart object and an upload in progress is copied into an empty PostgreSQL database; a node
 * started on that database and the same data directory then serves all of it to the AWS SDK.
 * A second account (team-b) with its own bucket and root key moves too and keeps working.
 * Refused while the embedded server runs, and into a database that already holds buckets.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketAccessKeysCommand, UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { BIN, REPO_ROOT, startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { testPostgres } from '../helpers/postgres.js';
import { accountsFor, REGION } from '../s3/support/accounts.js';
import type { Creds } from '../s3/support/s3Requests.js';

const ACCOUNT = '210987654321';
const root: Creds = { accessKeyId: 'SBCOPYROOT0000000001', secretAccessKey: randomBytes(30).toString('base64') };
const env = {
  SAILBUCKET_ROOT_ACCESS_KEY_ID: root.accessKeyId,
  SAILBUCKET_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
  SAILBUCKET_MASTER_KEY: randomBytes(32).toString('base64'),
};
let dataDir: string;
let url: string;
const servers: TestServer[] = [];

const s3 = (endpoint: string, creds: Creds) =>
  new S3Client({ endpoint, region: REGION, credentials: creds, forcePathStyle: true, maxAttempts: 1 });
const copy = () =>
  spawnSync(process.execPath, [BIN, 'metadata', 'copy', '--from', dataDir, '--to', url], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });

before(async () => {
  url = (await testPostgres()).url;
  dataDir = mkdtempSync(join(tmpdir(), 'sb-copy-'));
});

after(async () => {
  for (const s of servers) await s.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an embedded installation moves to PostgreSQL and a node serves all of it', async () => {
  const embedded = await startServer({ dataDir, accountId: ACCOUNT, env });
  servers.push(embedded);
  const acc = accountsFor(embedded.endpoint, root);
  const plain = uniqueBucketName('copy-plain');
  const versioned = uniqueBucketName('copy-vers');
  await acc.createBucket(plain);
  await acc.createBucket(versioned);
  await acc.lightsail.send(new UpdateBucketCommand({ bucketName: versioned, versioning: 'Enabled' }));
  const key1 = await acc.createKey(plain);
  await acc.createKey(plain);
  const vkey = await acc.createKey(versioned);
  const big = randomBytes(200_000);
  const c = s3(embedded.endpoint, key1);
  await c.send(new PutObjectCommand({ Bucket: plain, Key: 'small.txt', Body: 'inline body' }));
  await c.send(new PutObjectCommand({ Bucket: plain, Key: 'dir/big.bin', Body: big }));
  const p1 = randomBytes(5 * 1024 * 1024);
  const up = await c.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: 'mpu.bin' }));
  const r1 = await c.send(
    new UploadPartCommand({ Bucket: plain, Key: 'mpu.bin', UploadId: up.UploadId, PartNumber: 1, Body: p1 }),
  );
  const r2 = await c.send(
    new UploadPartCommand({ Bucket: plain, Key: 'mpu.bin', UploadId: up.UploadId, PartNumber: 2, Body: 'tail' }),
  );
  await c.send(
    new CompleteMultipartUploadCommand({
      Bucket: plain,
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
  const open = await c.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: 'unfinished.bin' }));
  const openPart = randomBytes(5 * 1024 * 1024);
  const op1 = await c.send(
    new UploadPartCommand({
      Bucket: plain,
      Key: 'unfinished.bin',
      UploadId: open.UploadId,
      PartNumber: 1,
      Body: openPart,
    }),
  );
  const v = s3(embedded.endpoint, vkey);
  for (const body of ['one', 'two', 'three'])
    await v.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: body }));
  await v.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'doc' }));
  const versionsBefore = await v.send(new ListObjectVersionsCommand({ Bucket: versioned }));
  const teamB = await acc.createAccount('team-b');
  const accB = accountsFor(embedded.endpoint, teamB.root);
  const bucketB = uniqueBucketName('copy-teamb');
  await accB.createBucket(bucketB);
  await s3(embedded.endpoint, teamB.root).send(new PutObjectCommand({ Bucket: bucketB, Key: 'b.txt', Body: 'team b' }));
  accB.close();

  const whileRunning = copy();
  assert.equal(whileRunning.status, 1);
  assert.match(whileRunning.stderr, /stop the server first/);
  acc.close();
  await embedded.stop();

  const done = copy();
  assert.equal(done.status, 0, done.stderr);
  assert.match(
    done.stdout,
    /verified: 2 accounts, 1 accountKeys, 3 buckets, 3 accessKeys, \d+ operations, \d+ metricSamples, 8 objectVersions, 1 uploads, 1 parts/,
  );
  assert.match(done.stdout, /next: keep .* as the shared --data-dir/);
  const again = copy();
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already holds buckets/);

  const node = await startServer({
    dataDir,
    accountId: ACCOUNT,
    env,
    args: ['--metadata-url', url, '--node-id', 'moved'],
  });
  servers.push(node);
  const acc2 = accountsFor(node.endpoint, root);
  const keys = await acc2.lightsail.send(new GetBucketAccessKeysCommand({ bucketName: plain }));
  assert.equal(keys.accessKeys?.length, 2);
  acc2.close();
  const n = s3(node.endpoint, key1);
  assert.equal(
    await (await n.send(new GetObjectCommand({ Bucket: plain, Key: 'small.txt' }))).Body?.transformToString(),
    'inline body',
  );
  const gotBig = await n.send(new GetObjectCommand({ Bucket: plain, Key: 'dir/big.bin' }));
  assert.ok(Buffer.from(await gotBig.Body!.transformToByteArray()).equals(big));
  const gotMpu = await n.send(new GetObjectCommand({ Bucket: plain, Key: 'mpu.bin' }));
  assert.ok(Buffer.from(await gotMpu.Body!.transformToByteArray()).equals(Buffer.concat([p1, Buffer.from('tail')])));
  const uploads = await n.send(new ListMultipartUploadsCommand({ Bucket: plain }));
  assert.deepEqual(
    uploads.Uploads?.map((u) => u.UploadId),
    [open.UploadId],
  );
  await n.send(
    new CompleteMultipartUploadCommand({
      Bucket: plain,
      Key: 'unfinished.bin',
      UploadId: open.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: op1.ETag }] },
    }),
  );
  const finished = await n.send(new GetObjectCommand({ Bucket: plain, Key: 'unfinished.bin' }));
  assert.ok(
    Buffer.from(await finished.Body!.transformToByteArray()).equals(openPart),
    'an upload begun before the move completes after it',
  );
  const versionsAfter = await s3(node.endpoint, vkey).send(new ListObjectVersionsCommand({ Bucket: versioned }));
  const shape = (o: typeof versionsBefore) => ({
    versions: o.Versions?.map((x) => [x.Key, x.VersionId, x.IsLatest, x.ETag, x.Size]),
    markers: o.DeleteMarkers?.map((x) => [x.Key, x.VersionId, x.IsLatest]),
  });
  assert.deepEqual(
    shape(versionsAfter),
    shape(versionsBefore),
    'versions and delete markers, in order, with the same latest',
  );
  const nb = s3(node.endpoint, teamB.root);
  assert.equal(
    await (await nb.send(new GetObjectCommand({ Bucket: bucketB, Key: 'b.txt' }))).Body?.transformToString(),
    'team b',
    "team-b's root key and bucket moved with it",
  );
  const listedB = await nb.send(new ListBucketsCommand({}));
  assert.deepEqual(
    listedB.Buckets?.map((b) => b.Name),
    [bucketB],
    'team-b still sees only its own bucket',
  );
});
