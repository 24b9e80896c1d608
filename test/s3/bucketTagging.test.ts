/**
 * S3 bucket tagging is the bucket's Lightsail tags: boto3's put/get/delete_bucket_tagging and the
 * control plane's TagResource/GetBuckets see one set; only the account root may change it; bad
 * input is refused and changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetBucketsCommand, TagResourceCommand } from '@aws-sdk/client-lightsail';
import { GetBucketTaggingCommand, PutBucketTaggingCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, REGION, type Accounts } from './support/accounts.js';
import type { Creds } from './support/s3Requests.js';

const run = promisify(execFile);

let server: TestServer;
let accounts: Accounts;
let bucket: string;
let key: Creds;

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  bucket = uniqueBucketName('tags');
  await accounts.createBucket(bucket);
  key = await accounts.createKey(bucket);
});
after(async () => {
  accounts?.close();
  await server?.stop();
});

async function lightsailTags(): Promise<[string | undefined, string | undefined][]> {
  const r = await accounts.lightsail.send(new GetBucketsCommand({ bucketName: bucket }));
  return (r.buckets?.[0]?.tags ?? []).map((t) => [t.key, t.value]);
}

const BOTO = `
import json, sys, boto3
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
b = sys.argv[4]
def code(f):
    try:
        f()
        return 'ok'
    except ClientError as e:
        return [e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error']['Message']]
out = {}
out['empty'] = code(lambda: s3.get_bucket_tagging(Bucket=b))
s3.put_bucket_tagging(Bucket=b, Tagging={'TagSet': [{'Key': 'team', 'Value': 'blue'}, {'Key': 'cost', 'Value': ''}]})
out['after_put'] = s3.get_bucket_tagging(Bucket=b)['TagSet']
out['too_long'] = code(lambda: s3.put_bucket_tagging(Bucket=b, Tagging={'TagSet': [{'Key': 'k' * 129, 'Value': 'v'}]}))
out['twice'] = code(lambda: s3.put_bucket_tagging(Bucket=b, Tagging={'TagSet': [{'Key': 'a', 'Value': '1'}, {'Key': 'a', 'Value': '2'}]}))
out['after_bad'] = s3.get_bucket_tagging(Bucket=b)['TagSet']
print(json.dumps(out))
`;

test('boto3 put/get bucket tagging is the Lightsail tag set; bad tags change nothing', async () => {
  const r = await run(
    'python3',
    ['-c', BOTO, server.endpoint, server.credentials.accessKeyId, server.credentials.secretAccessKey, bucket],
    { timeout: 60_000 },
  );
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual((out.empty as unknown[]).slice(0, 2), [404, 'NoSuchTagSet']);
  const expected = [
    { Key: 'team', Value: 'blue' },
    { Key: 'cost', Value: '' },
  ];
  assert.deepEqual(out.after_put, expected);
  assert.deepEqual((out.too_long as unknown[]).slice(0, 2), [400, 'InvalidTag']);
  assert.match((out.too_long as string[])[2], /must be 1 to 128 characters/);
  assert.deepEqual((out.twice as unknown[]).slice(0, 2), [400, 'InvalidTag']);
  assert.match((out.twice as string[])[2], /'a' appears more than once/);
  assert.deepEqual(out.after_bad, expected, 'a refused PutBucketTagging leaves the tags as they were');
  assert.deepEqual(await lightsailTags(), [
    ['team', 'blue'],
    ['cost', ''],
  ]);

  // The other way round: TagResource adds a tag that S3 then reads.
  await accounts.lightsail.send(new TagResourceCommand({ resourceName: bucket, tags: [{ key: 'env', value: 'ci' }] }));
  const root = new S3Client({
    endpoint: server.endpoint,
    region: REGION,
    credentials: server.credentials,
    forcePathStyle: true,
  });
  try {
    const got = await root.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    assert.deepEqual(
      got.TagSet?.map((t) => [t.Key, t.Value]),
      [
        ['team', 'blue'],
        ['cost', ''],
        ['env', 'ci'],
      ],
    );
  } finally {
    root.destroy();
  }

  const del = await run(
    'python3',
    [
      '-c',
      `import sys, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
print(s3.delete_bucket_tagging(Bucket=sys.argv[4])['ResponseMetadata']['HTTPStatusCode'])`,
      server.endpoint,
      server.credentials.accessKeyId,
      server.credentials.secretAccessKey,
      bucket,
    ],
    { timeout: 60_000 },
  );
  assert.equal(del.stdout.trim(), '204');
  assert.deepEqual(await lightsailTags(), []);
});

test("a bucket key cannot change its bucket's tags", async () => {
  const c = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key, forcePathStyle: true });
  try {
    await assert.rejects(
      c.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'x', Value: 'y' }] } })),
      (e: unknown) => e instanceof S3ServiceException && e.name === 'AccessDenied',
    );
    assert.deepEqual(await lightsailTags(), []);
  } finally {
    c.destroy();
  }
});
