/**
 * Bucket and service operations with real clients: @aws-sdk/client-s3 (path-style and
 * virtual-hosted through `<bucket>.localhost`), the AWS CLI and boto3.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent } from 'node:http';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketCorsCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
  PutBucketVersioningCommand,
  PutBucketCorsCommand,
  DeleteBucketCorsCommand,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, REGION, type Accounts } from './support/accounts.js';
import type { Creds } from './support/s3Requests.js';

const run = promisify(execFile);

let server: TestServer;
let accounts: Accounts;
let bucket: string;
let key: Creds;
const clients: S3Client[] = [];

/** Resolves every `*.localhost` name to 127.0.0.1 (the resolver here does not). */
function localhostLookup(hostname: string, options: unknown, callback: (...args: unknown[]) => void): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (all) callback(null, [{ address: '127.0.0.1', family: 4 } satisfies LookupAddress]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options as never, callback as never);
}

function s3(creds: Creds, style: 'path' | 'virtual'): S3Client {
  const port = new URL(server.endpoint).port;
  const c =
    style === 'path'
      ? new S3Client({ endpoint: server.endpoint, region: REGION, credentials: creds, forcePathStyle: true })
      : new S3Client({
          endpoint: `http://localhost:${port}`,
          region: REGION,
          credentials: creds,
          forcePathStyle: false,
          requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: localhostLookup as never }) }),
        });
  clients.push(c);
  return c;
}

const KEYS = ['a/1', 'a/2', 'a%2Fraw', 'b/x//y', 'dir/', 'top', 'sp ace/é.txt', 'z+plus'];

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  bucket = uniqueBucketName('cli');
  await accounts.createBucket(bucket);
  key = await accounts.createKey(bucket);
  const c = s3(key, 'path');
  for (const k of KEYS) await c.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: `body of ${k}` }));
});

after(async () => {
  for (const c of clients) c.destroy();
  accounts?.close();
  await server?.stop();
});

for (const style of ['path', 'virtual'] as const) {
  test(`client-s3 (${style}-style): bucket reads and listings with a bucket key`, async () => {
    const c = s3(key, style);
    const buckets = await c.send(new ListBucketsCommand({}));
    assert.deepEqual(
      buckets.Buckets?.map((b) => b.Name),
      [bucket],
    );
    const head = await c.send(new HeadBucketCommand({ Bucket: bucket }));
    assert.equal(head.BucketRegion, REGION);
    const loc = await c.send(new GetBucketLocationCommand({ Bucket: bucket }));
    assert.equal(String(loc.LocationConstraint ?? ''), '');
    const ver = await c.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    assert.equal(ver.Status, undefined);
    await assert.rejects(
      c.send(new GetBucketCorsCommand({ Bucket: bucket })),
      (e: S3ServiceException) => e.name === 'NoSuchCORSConfiguration' && e.$metadata.httpStatusCode === 404,
    );

    const all = await c.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      all.Contents?.map((o) => o.Key),
      [...KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
    );
    assert.equal(all.KeyCount, KEYS.length);
    assert.match(all.Contents[0].LastModified!.toISOString(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(all.Contents[0].ETag!, /^"[0-9a-f]{32}"$/);

    const delim = await c.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    assert.deepEqual(
      delim.CommonPrefixes?.map((p) => p.Prefix),
      ['a/', 'b/', 'dir/', 'sp ace/'],
    );
    assert.deepEqual(
      delim.Contents?.map((o) => o.Key),
      ['a%2Fraw', 'top', 'z+plus'],
    );

    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client: c, pageSize: 3 }, { Bucket: bucket })) {
      pages.push((page.Contents ?? []).map((o) => o.Key!));
      assert.ok(pages.length <= 5, 'pagination ends');
    }
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 2],
    );
    assert.deepEqual(
      pages.flat(),
      all.Contents?.map((o) => o.Key),
    );

    const after = await c.send(
      new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'b', Prefix: '', FetchOwner: true }),
    );
    assert.equal(after.Contents?.[0]?.Key, 'b/x//y');
    assert.ok(after.Contents?.[0]?.Owner?.ID);

    const v1 = await c.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 2 }));
    assert.equal(v1.IsTruncated, true);
    assert.ok(v1.NextMarker);
    const v1b = await c.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Marker: v1.NextMarker }));
    const seen = [
      ...(v1.Contents ?? []).map((o) => o.Key),
      ...(v1.CommonPrefixes ?? []).map((p) => p.Prefix),
      ...(v1b.Contents ?? []).map((o) => o.Key),
      ...(v1b.CommonPrefixes ?? []).map((p) => p.Prefix),
    ];
    assert.deepEqual(new Set(seen), new Set(['a/', 'b/', 'dir/', 'sp ace/', 'a%2Fraw', 'top', 'z+plus']));
    assert.equal(seen.length, 7, 'no common prefix repeats across pages');

    const versions = await c.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'a/' }));
    assert.deepEqual(
      versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]),
      [
        ['a/1', 'null', true],
        ['a/2', 'null', true],
      ],
    );
  });
}

test('encoding-type=url encodes keys and prefixes in listings', async () => {
  const c = s3(key, 'path');
  const r = await c.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url', Prefix: 'sp ace/' }));
  // The SDK leaves url-encoded values as sent.
  assert.deepEqual(
    r.Contents?.map((o) => o.Key),
    ['sp%20ace/%C3%A9.txt'],
  );
  assert.equal(r.Prefix, 'sp%20ace/');
});

test('max-keys above 1000 is clamped, and invalid values are InvalidArgument', async () => {
  const c = s3(key, 'path');
  const r = await c.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 5000 }));
  assert.equal(r.MaxKeys, 1000);
  await assert.rejects(
    c.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: '!!not-a-token' })),
    (e: S3ServiceException) => e.name === 'InvalidArgument',
  );
});

test('DeleteObjects: quiet and verbose, with the checksum the SDK sends', async () => {
  const c = s3(key, 'path');
  for (const k of ['del/1', 'del/2', 'del/3'])
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: 'x' }));
  const verbose = await c.send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'del/1' }, { Key: 'del/missing' }] } }),
  );
  assert.deepEqual(verbose.Deleted?.map((d) => d.Key).sort(), ['del/1', 'del/missing']);
  const quiet = await c.send(
    new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/3' }], Quiet: true },
    }),
  );
  assert.equal(quiet.Deleted, undefined);
  assert.equal(quiet.Errors, undefined);
  const left = await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'del/' }));
  assert.equal(left.KeyCount, 0);
  const tooMany = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
  await assert.rejects(
    c.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: tooMany } })),
    (e: S3ServiceException) => e.name === 'MalformedXML',
  );
});

test('root: CreateBucket and DeleteBucket through S3 (empty only), both addressing styles', async () => {
  for (const style of ['path', 'virtual'] as const) {
    const c = s3(server.credentials, style);
    const name = uniqueBucketName('s3made');
    await c.send(new CreateBucketCommand({ Bucket: name }));
    const listed = await c.send(new ListBucketsCommand({}));
    assert.ok(listed.Buckets?.some((b) => b.Name === name));
    // us-east-1: AWS's legacy answer to re-creating an owned bucket is 200 (elsewhere 409, test/s3/conformanceDefects.test.ts).
    await c.send(new CreateBucketCommand({ Bucket: name }));
    await c.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    await assert.rejects(
      c.send(new DeleteBucketCommand({ Bucket: name })),
      (e: S3ServiceException) => e.name === 'BucketNotEmpty' && e.$metadata.httpStatusCode === 409,
    );
    await c.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: [{ Key: 'k' }] } }));
    await c.send(new DeleteBucketCommand({ Bucket: name }));
    await assert.rejects(
      c.send(new HeadBucketCommand({ Bucket: name })),
      (e: S3ServiceException) => e.$metadata.httpStatusCode === 404,
    );
  }
  const bad = s3(server.credentials, 'path');
  await assert.rejects(
    bad.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })),
    (e: S3ServiceException) => e.name === 'InvalidBucketName',
  );
  await assert.rejects(
    s3(key, 'path').send(new CreateBucketCommand({ Bucket: uniqueBucketName('keymade') })),
    (e: S3ServiceException) => e.name === 'AccessDenied',
  );
});

const cliEnv = (creds: Creds) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: creds.accessKeyId,
  AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
  AWS_DEFAULT_REGION: REGION,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});

test('AWS CLI: aws s3 ls and aws s3api list-objects-v2', async () => {
  const ls = await run('aws', ['s3', 'ls', '--endpoint-url', server.endpoint], { env: cliEnv(key), timeout: 60_000 });
  assert.match(ls.stdout, new RegExp(`\\s${bucket}\\n`));
  assert.equal(ls.stdout.trim().split('\n').length, 1, 'a bucket key lists only its bucket');
  const inBucket = await run('aws', ['s3', 'ls', `s3://${bucket}/a/`, '--endpoint-url', server.endpoint], {
    env: cliEnv(key),
    timeout: 60_000,
  });
  assert.match(inBucket.stdout, /\s1\n/);
  assert.match(inBucket.stdout, /\s2\n/);
  const api = await run(
    'aws',
    [
      's3api',
      'list-objects-v2',
      '--bucket',
      bucket,
      '--prefix',
      'a/',
      '--endpoint-url',
      server.endpoint,
      '--output',
      'json',
    ],
    { env: cliEnv(key), timeout: 60_000 },
  );
  const out = JSON.parse(api.stdout) as { Contents: { Key: string }[]; KeyCount: number };
  assert.deepEqual(
    out.Contents.map((o) => o.Key),
    ['a/1', 'a/2'],
  );
  const paged = await run(
    'aws',
    [
      's3api',
      'list-objects-v2',
      '--bucket',
      bucket,
      '--page-size',
      '2',
      '--endpoint-url',
      server.endpoint,
      '--output',
      'json',
    ],
    { env: cliEnv(key), timeout: 60_000 },
  );
  assert.equal((JSON.parse(paged.stdout) as { Contents: unknown[] }).Contents.length, KEYS.length);
  const denied = await run('aws', ['s3api', 'delete-bucket', '--bucket', bucket, '--endpoint-url', server.endpoint], {
    env: cliEnv(key),
    timeout: 60_000,
  }).then(
    () => '',
    (e: { stderr: string }) => e.stderr,
  );
  assert.match(denied, /AccessDenied/);
});

test('boto3: list_buckets, head_bucket, paginated list_objects_v2, get_bucket_location', async () => {
  const script = `
import json, sys, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
out = {}
out['buckets'] = [b['Name'] for b in s3.list_buckets()['Buckets']]
out['head'] = s3.head_bucket(Bucket=sys.argv[4])['ResponseMetadata']['HTTPStatusCode']
keys = []
for page in s3.get_paginator('list_objects_v2').paginate(Bucket=sys.argv[4], PaginationConfig={'PageSize': 3}):
    keys += [o['Key'] for o in page.get('Contents', [])]
out['keys'] = keys
out['location'] = s3.get_bucket_location(Bucket=sys.argv[4]).get('LocationConstraint')
try:
    s3.head_bucket(Bucket='not-' + sys.argv[4])
    out['other'] = 'allowed'
except Exception as e:
    out['other'] = e.response['Error']['Code']
print(json.dumps(out))
`;
  const r = await run('python3', ['-c', script, server.endpoint, key.accessKeyId, key.secretAccessKey, bucket], {
    timeout: 60_000,
  });
  const out = JSON.parse(r.stdout) as {
    buckets: string[];
    head: number;
    keys: string[];
    location: string | null;
    other: string;
  };
  assert.deepEqual(out.buckets, [bucket]);
  assert.equal(out.head, 200);
  assert.deepEqual(
    out.keys,
    [...KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
  );
  assert.equal(out.location, null);
  assert.equal(out.other, '403');
});

test('root: PutBucketVersioning and Put/Get/DeleteBucketCors through S3 (what UpdateBucket sets)', async () => {
  const c = s3(server.credentials, 'path');
  const name = uniqueBucketName('cfg');
  await c.send(new CreateBucketCommand({ Bucket: name }));
  await c.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await c.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, 'Enabled');
  await c.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await c.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, 'Suspended');
  await c.send(
    new PutBucketCorsCommand({
      Bucket: name,
      CORSConfiguration: {
        CORSRules: [
          {
            ID: 'web',
            AllowedMethods: ['GET', 'PUT'],
            AllowedOrigins: ['https://*.example.com'],
            AllowedHeaders: ['*'],
            ExposeHeaders: ['ETag'],
            MaxAgeSeconds: 300,
          },
        ],
      },
    }),
  );
  const cors = await c.send(new GetBucketCorsCommand({ Bucket: name }));
  assert.deepEqual(cors.CORSRules, [
    {
      ID: 'web',
      AllowedMethods: ['GET', 'PUT'],
      AllowedOrigins: ['https://*.example.com'],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 300,
    },
  ]);
  await c.send(new DeleteBucketCorsCommand({ Bucket: name }));
  await assert.rejects(
    c.send(new GetBucketCorsCommand({ Bucket: name })),
    (e: S3ServiceException) => e.name === 'NoSuchCORSConfiguration',
  );
  await assert.rejects(
    s3(key, 'path').send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    ),
    (e: S3ServiceException) => e.name === 'AccessDenied',
  );
  await c.send(new DeleteBucketCommand({ Bucket: name }));
});

test('boto3: list_objects keeps an unreadable Prefix as given; an empty ContinuationToken lists from the start', async () => {
  const script = `
import json, sys, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
b = sys.argv[4]
out = {}
v1 = s3.list_objects(Bucket=b, Prefix='\\n%')
out['v1'] = [v1['Prefix'], len(v1.get('Contents', []))]
v2 = s3.list_objects_v2(Bucket=b, Prefix='\\n%')
out['v2'] = [v2['Prefix'], v2['KeyCount']]
e = s3.list_objects_v2(Bucket=b, ContinuationToken='')
out['empty'] = [e['ContinuationToken'], e['IsTruncated'], [o['Key'] for o in e.get('Contents', [])]]
print(json.dumps(out))
`;
  const r = await run('python3', ['-c', script, server.endpoint, key.accessKeyId, key.secretAccessKey, bucket], {
    timeout: 60_000,
  });
  const out = JSON.parse(r.stdout) as {
    v1: [string, number];
    v2: [string, number];
    empty: [string, boolean, string[]];
  };
  assert.deepEqual(out.v1, ['\n%', 0], 'ListObjects (boto3 asks encoding-type=url and does not decode Prefix)');
  assert.deepEqual(out.v2, ['\n%', 0], 'ListObjectsV2 (boto3 decodes Prefix)');
  assert.deepEqual(out.empty, ['', false, [...KEYS].sort()]);
});
