/** The AWS CLI (v1) and boto3, unchanged, against the control plane. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

describe('AWS CLI and boto3 against the control plane', () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startServer();
    env = {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent/sailbucket-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/sailbucket-test-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
  });
  after(async () => {
    await server?.stop();
  });

  const aws = (...args: string[]) =>
    run(
      'aws',
      ['lightsail', ...args, '--endpoint-url', server.endpoint, '--region', 'us-east-1', '--output', 'json'],
      env,
    );

  it('aws lightsail: create bucket, key (via --cli-input-json), list keys, errors', async () => {
    const name = uniqueBucketName('cli');
    let r = await aws('create-bucket', '--bucket-name', name, '--bundle-id', 'small_1_0');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).bucket.name, name);

    r = await aws('create-bucket-access-key', '--cli-input-json', JSON.stringify({ bucketName: name }));
    assert.equal(r.code, 0, r.stderr);
    const key = JSON.parse(r.stdout).accessKey;
    assert.match(key.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(key.secretAccessKey.length, 40);

    r = await aws('get-bucket-access-keys', '--bucket-name', name);
    assert.equal(r.code, 0, r.stderr);
    const keys = JSON.parse(r.stdout).accessKeys;
    assert.equal(keys.length, 1);
    assert.equal(keys[0].secretAccessKey, undefined);
    assert.deepEqual(keys[0].lastUsed, { region: 'N/A', serviceName: 'N/A' });

    r = await aws('get-bucket-bundles');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).bundles.length, 3);

    // a bucket with an object and a key: one refusal names both blockers and the key
    r = await run(
      'aws',
      ['s3', 'cp', '-', `s3://${name}/blocker.txt`, '--endpoint-url', server.endpoint, '--region', 'us-east-1'],
      { ...env, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey },
      'blocker',
    );
    assert.equal(r.code, 0, r.stderr);
    r = await aws('delete-bucket', '--bucket-name', name);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      new RegExp(
        `\\(InvalidInputException\\) when calling the DeleteBucket operation: Bucket '${name}' is not empty and has 1 access key\\(s\\) \\(${key.accessKeyId}\\): delete its objects, object versions and unfinished uploads and its access keys first, or use forceDelete`,
      ),
    );

    r = await aws('get-buckets', '--bucket-name', 'no-such-bucket-cli');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\(NotFoundException\) when calling the GetBuckets operation: .*no-such-bucket-cli/);

    r = await aws('create-bucket', '--bucket-name', 'Bad_Name', '--bundle-id', 'small_1_0');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\(InvalidInputException\) when calling the CreateBucket operation/);

    r = await run('aws', ['lightsail', 'get-buckets', '--endpoint-url', server.endpoint, '--region', 'us-east-1'], {
      ...env,
      AWS_SECRET_ACCESS_KEY: 'w'.repeat(40),
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /InvalidSignatureException/);
  });

  it('boto3: create bucket and key, list, delete, and a typed error', async () => {
    const name = uniqueBucketName('boto');
    const script = `
import json, sys, boto3
from botocore.exceptions import ClientError
c = boto3.client('lightsail', endpoint_url=sys.argv[1], region_name='us-east-1')
out = {}
b = c.create_bucket(bucketName=sys.argv[2], bundleId='small_1_0', enableObjectVersioning=True)
out['bucket'] = b['bucket']['name']; out['versioning'] = b['bucket']['objectVersioning']
out['createdAtType'] = type(b['bucket']['createdAt']).__name__
k = c.create_bucket_access_key(bucketName=sys.argv[2])['accessKey']
out['keyId'] = k['accessKeyId']
keys = c.get_bucket_access_keys(bucketName=sys.argv[2])['accessKeys']
out['listed'] = [x['accessKeyId'] for x in keys]
out['secretListed'] = any('secretAccessKey' in x for x in keys)
c.delete_bucket_access_key(bucketName=sys.argv[2], accessKeyId=k['accessKeyId'])
try:
    c.get_bucket_access_keys(bucketName='boto-missing-bucket')
    out['error'] = None
except ClientError as e:
    out['error'] = e.response['Error']['Code']
    out['errorMessage'] = e.response['Error']['Message']
    out['status'] = e.response['ResponseMetadata']['HTTPStatusCode']
try:
    c.get_operation(operationId='nope')
except c.exceptions.NotFoundException:
    out['modeled'] = True
ops = c.get_operations_for_resource(resourceName=sys.argv[2])['operations']
out['ops'] = [o['operationType'] for o in ops]
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script, server.endpoint, name], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(out.bucket, name);
    assert.equal(out.versioning, 'Enabled');
    assert.equal(out.createdAtType, 'datetime');
    assert.deepEqual(out.listed, [out.keyId]);
    assert.equal(out.secretListed, false);
    assert.equal(out.error, 'NotFoundException');
    assert.match(out.errorMessage, /boto-missing-bucket/);
    assert.equal(out.status, 400);
    assert.equal(out.modeled, true);
    assert.deepEqual(out.ops, ['CreateBucket', 'CreateBucketAccessKey', 'DeleteBucketAccessKey']);
  });

  it('boto3: the largest request the model allows (50 non-ASCII tags, escaped as \\uXXXX) is accepted', async () => {
    const name = uniqueBucketName('tags');
    const script = `
import json, sys, boto3
c = boto3.client('lightsail', endpoint_url=sys.argv[1], region_name='us-east-1')
sent = []
def measure(request, **kwargs):
    sent.append(len(request.body))
c.meta.events.register('before-send.lightsail.TagResource', measure)
c.create_bucket(bucketName=sys.argv[2], bundleId='small_1_0')
tags = [{'key': ('\\u00e9' * 125) + ('%03d' % i), 'value': '\\u6f22' * 256} for i in range(50)]
c.tag_resource(resourceName=sys.argv[2], tags=tags)
got = c.get_buckets(bucketName=sys.argv[2])['buckets'][0]['tags']
print(json.dumps({'sent': sent[0], 'tags': len(got), 'same': sorted((t['key'], t['value']) for t in got) == sorted((t['key'], t['value']) for t in tags)}))
`;
    const r = await run('python3', ['-c', script, server.endpoint, name], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.ok(out.sent > 64 * 1024, `the request body was ${out.sent} bytes: over 64 KiB, as boto3 escapes non-ASCII`);
    assert.equal(out.tags, 50);
    assert.equal(out.same, true);
  });
});
