/**
 * S3 lifecycle rules through real clients: the JS SDK and boto3 put, get and delete them; bad rules
 * are refused with S3's error codes and change nothing; a bucket key may not set them; and on a
 * server whose lifecycle "day" is one second (SAILBUCKET_LIFECYCLE_DAY_SECONDS, the testing aid),
 * objects and unfinished uploads really go, and the expirations appear in the bucket's access log.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, REGION, type Accounts } from './support/accounts.js';

const run = promisify(execFile);

let server: TestServer;
let accounts: Accounts;
let s3: S3Client;

before(async () => {
  server = await startServer({
    args: ['--lifecycle-interval', '1', '--access-log-interval', '1'],
    env: { SAILBUCKET_LIFECYCLE_DAY_SECONDS: '1' },
  });
  accounts = accountsFor(server.endpoint, server.credentials);
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: REGION,
    credentials: server.credentials,
    forcePathStyle: true,
  });
});
after(async () => {
  s3?.destroy();
  accounts?.close();
  await server?.stop();
});

const rejectsWith = (code: string, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof S3ServiceException, String(e));
  assert.equal(e.name, code, e.message);
  if (message) assert.match(e.message, message);
  return true;
};

/** Polls `check` every 250 ms until it is true (at most `ms`). */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

const RULES: LifecycleRule[] = [
  { ID: 'legacy', Prefix: 'logs/', Status: 'Enabled', Expiration: { Days: 30 } },
  {
    ID: 'tagged',
    Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'class', Value: 'scratch' }], ObjectSizeGreaterThan: 10 } },
    Status: 'Disabled',
    Expiration: { Date: new Date('2027-01-01T00:00:00Z') },
  },
  {
    ID: 'versions',
    Filter: {},
    Status: 'Enabled',
    NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 3 },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
  },
];

test('JS SDK: rules put are answered as put; delete leaves NoSuchLifecycleConfiguration, twice', async () => {
  const bucket = uniqueBucketName('lc-sdk');
  await accounts.createBucket(bucket);
  await assert.rejects(
    s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    rejectsWith('NoSuchLifecycleConfiguration'),
  );
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: RULES } }),
  );
  const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  assert.deepEqual(got.Rules, RULES);
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
  await assert.rejects(
    s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    rejectsWith('NoSuchLifecycleConfiguration'),
  );
});

test('bad rules are refused with S3 codes and change nothing; a bucket key may not set rules', async () => {
  const bucket = uniqueBucketName('lc-bad');
  await accounts.createBucket(bucket);
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: RULES } }),
  );
  const put = (rules: LifecycleRule[]) =>
    s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
  const base = { Prefix: 'p/', Status: 'Enabled' as const };
  await assert.rejects(put([{ ...base, ID: 'zero', Expiration: { Days: 0 } }]), rejectsWith('InvalidArgument', /Days/));
  await assert.rejects(
    put([{ ...base, ID: 'x'.repeat(256), Expiration: { Days: 1 } }]),
    rejectsWith('InvalidArgument', /255/),
  );
  await assert.rejects(
    put([
      { ...base, ID: 'same', Expiration: { Days: 1 } },
      { ...base, ID: 'same', Expiration: { Days: 2 } },
    ]),
    rejectsWith('InvalidArgument', /unique/),
  );
  await assert.rejects(
    put([{ ...base, ID: 'noon', Expiration: { Date: new Date('2027-01-01T12:00:00Z') } }]),
    rejectsWith('InvalidArgument', /midnight/),
  );
  await assert.rejects(
    put([{ ...base, ID: 'glacier', Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }]),
    rejectsWith('InvalidRequest', /STANDARD/),
  );
  await assert.rejects(put([{ ...base, ID: 'nothing' }]), rejectsWith('InvalidRequest', /action/));
  await assert.rejects(
    put([{ ...base, ID: 'lower', Status: 'enabled' as 'Enabled', Expiration: { Days: 1 } }]),
    rejectsWith('MalformedXML', /Status/),
  );
  await assert.rejects(
    put([{ ...base, ID: 'both', Filter: { Prefix: 'q/' }, Expiration: { Days: 1 } }]),
    rejectsWith('MalformedXML', /Filter or Prefix/),
  );
  await assert.rejects(
    put([{ ...base, ID: 'two', Expiration: { Days: 1, ExpiredObjectDeleteMarker: true } }]),
    rejectsWith('MalformedXML', /exactly one/),
  );
  await assert.rejects(
    put([
      {
        ID: 'tags-abort',
        Filter: { Tag: { Key: 'a', Value: 'b' } },
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]),
    rejectsWith('InvalidRequest', /Tag/),
  );
  assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules, RULES);

  const key = await accounts.createKey(bucket);
  const keyClient = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key, forcePathStyle: true });
  try {
    await assert.rejects(
      keyClient.send(
        new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [] } }),
      ),
      rejectsWith('AccessDenied'),
    );
    await assert.rejects(
      keyClient.send(new DeleteBucketLifecycleCommand({ Bucket: bucket })),
      rejectsWith('AccessDenied'),
    );
  } finally {
    keyClient.destroy();
  }
  assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules, RULES);
});

test('objects expire under their rule (one-second days) and the expirations are in the access log', async () => {
  const bucket = uniqueBucketName('lc-run');
  const logs = uniqueBucketName('lc-logs');
  await accounts.createBucket(bucket);
  await accounts.createBucket(logs);
  await accounts.lightsail.send(
    new UpdateBucketCommand({
      bucketName: bucket,
      accessLogConfig: { enabled: true, destination: logs, prefix: 'lc/' },
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tmp/a', Body: 'expires' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep/b', Body: 'stays' }));
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: {
        Rules: [{ ID: 'tmp-1-day', Filter: { Prefix: 'tmp/' }, Status: 'Enabled', Expiration: { Days: 1 } }],
      },
    }),
  );
  const listed = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
  assert.ok(await eventually(async () => !(await listed()).includes('tmp/a')), 'tmp/a expired');
  assert.deepEqual(await listed(), ['keep/b']);
  assert.equal(
    await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'keep/b' }))).Body!.transformToString(),
    'stays',
  );

  let logged = '';
  assert.ok(
    await eventually(async () => {
      const objs = (await s3.send(new ListObjectsV2Command({ Bucket: logs, Prefix: 'lc/' }))).Contents ?? [];
      const texts = await Promise.all(
        objs.map(async (o) =>
          (await s3.send(new GetObjectCommand({ Bucket: logs, Key: o.Key }))).Body!.transformToString(),
        ),
      );
      logged = texts.join('');
      return logged.includes('S3.EXPIRE.OBJECT');
    }),
    `an S3.EXPIRE.OBJECT record was delivered (log so far: ${logged.slice(0, 500)})`,
  );
  const line = logged.split('\n').find((l) => l.includes('S3.EXPIRE.OBJECT'))!;
  const fields = line.split(' ');
  assert.equal(fields[1], bucket);
  assert.equal(fields[5], 'AmazonS3', 'requester');
  assert.equal(fields[8], 'tmp/a', 'key');
});

test('boto3: AbortIncompleteMultipartUpload aborts an unfinished upload (one-second days)', async () => {
  const bucket = uniqueBucketName('lc-boto');
  await accounts.createBucket(bucket);
  const { stdout } = await run(
    'python3',
    [
      '-c',
      `import json, sys, time, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
b = sys.argv[4]
old = s3.create_multipart_upload(Bucket=b, Key='up/old')['UploadId']
s3.upload_part(Bucket=b, Key='up/old', UploadId=old, PartNumber=1, Body=b'x' * 1024)
other = s3.create_multipart_upload(Bucket=b, Key='other/old')['UploadId']
s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={'Rules': [
    {'ID': 'abort', 'Filter': {'Prefix': 'up/'}, 'Status': 'Enabled', 'AbortIncompleteMultipartUpload': {'DaysAfterInitiation': 1}}]})
rules = s3.get_bucket_lifecycle_configuration(Bucket=b)['Rules']
left = None
for _ in range(60):
    left = sorted(u['Key'] for u in s3.list_multipart_uploads(Bucket=b).get('Uploads', []))
    if left == ['other/old']:
        break
    time.sleep(0.25)
print(json.dumps({'rules': rules, 'left': left}))`,
      server.endpoint,
      server.credentials.accessKeyId,
      server.credentials.secretAccessKey,
      bucket,
    ],
    { timeout: 60_000 },
  );
  const out = JSON.parse(stdout) as { rules: unknown[]; left: string[] };
  assert.deepEqual(out.rules, [
    {
      ID: 'abort',
      Filter: { Prefix: 'up/' },
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    },
  ]);
  assert.deepEqual(out.left, ['other/old'], 'the upload under up/ was aborted, the other kept');
});

test('JS SDK: writes (Put, Copy, CompleteMultipartUpload), GetObject and HeadObject carry x-amz-expiration under a rule', async () => {
  const bucket = uniqueBucketName('lcexp');
  await accounts.createBucket(bucket);
  // One-second days on this server: 3600 "days" is an hour.
  const rules: LifecycleRule[] = [
    { ID: 'long', Status: 'Enabled', Filter: { Prefix: 'exp/' }, Expiration: { Days: 7200 } },
    { ID: 'short', Status: 'Enabled', Filter: { Prefix: 'exp/short/' }, Expiration: { Days: 3600 } },
    { ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 't', Value: '1' } }, Expiration: { Days: 1800 } },
    { ID: 'off', Status: 'Disabled', Filter: { Prefix: 'exp/' }, Expiration: { Days: 10 } },
  ];
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }),
  );
  const expected = async (key: string, rule: string, days: number, put: string | undefined) => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const m = /^expiry-date="([^"]+)", rule-id="([^"]+)"$/.exec(put ?? '');
    assert.ok(m, `PutObject ${key}: x-amz-expiration ${put}`);
    assert.equal(m[2], rule);
    // Rounded up to the next (one-second) "midnight" after Last-Modified + days.
    const due = Date.parse(m[1]) - head.LastModified!.getTime();
    assert.ok(due === days * 1000 || due === days * 1000 + 1000, `${key}: due ${due} ms after Last-Modified`);
    assert.equal(head.Expiration, put, `HeadObject ${key}`);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    await get.Body!.transformToString();
    assert.equal(get.Expiration, put, `GetObject ${key}`);
  };
  const put = async (key: string, tagging?: string) =>
    (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x', Tagging: tagging }))).Expiration;
  await expected('exp/short/a', 'short', 3600, await put('exp/short/a'));
  await expected('exp/b', 'long', 7200, await put('exp/b'));
  await expected('plain-tagged', 'tagged', 1800, await put('plain-tagged', 't=1'));
  assert.equal(await put('plain'), undefined, 'no rule applies: no header');
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain' }))).Expiration, undefined);
  assert.equal(await put('plain-other-tag', 't=2'), undefined);
  // CopyObject and CompleteMultipartUpload answer it for the object they made.
  const copy = await s3.send(
    new CopyObjectCommand({ Bucket: bucket, Key: 'exp/short/copy', CopySource: `${bucket}/plain` }),
  );
  await expected('exp/short/copy', 'short', 3600, copy.Expiration);
  const up = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'exp/mp', Tagging: 't=1' }));
  const part = await s3.send(
    new UploadPartCommand({ Bucket: bucket, Key: 'exp/mp', UploadId: up.UploadId, PartNumber: 1, Body: 'part' }),
  );
  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'exp/mp',
      UploadId: up.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
    }),
  );
  await expected('exp/mp', 'tagged', 1800, done.Expiration);
});
