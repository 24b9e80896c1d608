/** A server in another region: GetBucketLocation, HeadBucket's region header, CreateBucket's LocationConstraint. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';

const REGION = 'eu-west-2';
let server: TestServer;
let s3: S3Client;

before(async () => {
  server = await startServer({ region: REGION });
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: REGION,
    credentials: server.credentials,
    forcePathStyle: true,
  });
});

after(async () => {
  s3?.destroy();
  await server?.stop();
});

test('buckets made through S3 live in the server region and say so', async () => {
  const name = uniqueBucketName('eu');
  await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint, REGION);
  assert.equal((await s3.send(new HeadBucketCommand({ Bucket: name }))).BucketRegion, REGION);
  const listed = await s3.send(new ListBucketsCommand({ Prefix: name }));
  assert.deepEqual(
    listed.Buckets?.map((b) => [b.Name, b.BucketRegion]),
    [[name, REGION]],
  );
  await assert.rejects(
    s3.send(
      new CreateBucketCommand({
        Bucket: uniqueBucketName('us'),
        CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
      }),
    ),
    (e: S3ServiceException) => e.name === 'InvalidLocationConstraint' && e.$metadata.httpStatusCode === 400,
  );
});

test('ListBuckets pages with max-buckets and continuation-token', async () => {
  const prefix = uniqueBucketName('pg');
  const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
  for (const n of names) await s3.send(new CreateBucketCommand({ Bucket: n }));
  const first = await s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2 }));
  assert.deepEqual(
    first.Buckets?.map((b) => b.Name),
    names.slice(0, 2),
  );
  assert.ok(first.ContinuationToken);
  const second = await s3.send(
    new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
  );
  assert.deepEqual(
    second.Buckets?.map((b) => b.Name),
    names.slice(2),
  );
  assert.equal(second.ContinuationToken, undefined);
});
