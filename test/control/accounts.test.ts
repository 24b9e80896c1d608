/**
 * Accounts with real clients (issue 11): the operator manages tenants with the `sailbucket` CLI;
 * a tenant's root uses the AWS CLI and boto3 on its own buckets and keys, sees nothing of the
 * operator's, cannot call the admin operations; readonlyAccessAccounts grants exactly reads and
 * is revoked within a second; quotas refuse writes and change nothing; DeleteAccount is refused
 * while the account owns buckets and forceDelete makes its credentials InvalidAccessKeyId.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { makeHome, runSailbucket, type RunResult } from '../cli/runSailbucket.js';
import { awsEnv, runProcess, type ProcessResult } from '../s3/clientsProcess.js';
import { accountsFor, type Accounts } from '../s3/support/accounts.js';
import { sendAs, type RawResponse } from '../s3/support/s3Requests.js';

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}
interface AccountOut {
  accountId: string;
  accountName: string;
  isOperator: boolean;
  storageQuotaBytes?: number;
  storageUsedBytes: number;
  accessKeys?: { accessKeyId: string; createdAt: string }[];
}

let server: TestServer;
let home: ReturnType<typeof makeHome>;
let operator: Accounts;
let opBucket: string;
let teamB: { accountId: string; root: Creds };
let teamBBucket: string;
let teamBKey: Creds;
/** A small file to upload with the AWS CLI. */
let BIN_SELF: string;

/** The sailbucket CLI with these credentials (default: the operator's root). */
function sb(args: string[], creds: Creds = server.credentials): Promise<RunResult> {
  return runSailbucket([...args, '--endpoint-url', server.endpoint, '--region', 'us-east-1', '--output', 'json'], {
    home: home.home,
    env: { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey },
  });
}
function sbJson<T>(r: RunResult, what: string): T {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
function aws(creds: Creds, args: string[]): Promise<ProcessResult> {
  return runProcess('aws', [...args, '--endpoint-url', server.endpoint, '--output', 'json'], {
    env: awsEnv(creds, home.home),
    timeoutMs: 60_000,
  });
}
function awsJson<T>(r: ProcessResult, what: string): T {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}
const failsWith = (r: ProcessResult | RunResult, code: string, what: string) => {
  assert.notEqual(r.code, 0, `${what} should fail with ${code}: ${r.stdout}`);
  assert.match(r.stderr, new RegExp(`\\(${code}\\)`), `${what}: ${r.stderr}`);
};
const boto = (creds: Creds, script: string, ...args: string[]) =>
  runProcess('python3', ['-c', script, server.endpoint, ...args], { env: awsEnv(creds, home.home), timeoutMs: 60_000 });
const code = (r: RawResponse) => `${r.status} ${r.code ?? ''}`.trim();

before(async () => {
  server = await startServer();
  home = makeHome();
  BIN_SELF = join(home.home, 'body.txt');
  writeFileSync(BIN_SELF, 'hello from the AWS CLI\n');
  operator = accountsFor(server.endpoint, server.credentials);
  opBucket = uniqueBucketName('op');
  await operator.createBucket(opBucket);
  const put = await sendAs(
    server.endpoint,
    { kind: 'header', creds: server.credentials },
    {
      method: 'PUT',
      path: `/${opBucket}/shared.txt`,
      body: 'operator data',
    },
  );
  assert.equal(put.status, 200, put.body);
});
after(async () => {
  operator?.close();
  await server?.stop();
  home?.cleanup();
});

describe('accounts with real clients', () => {
  it('the operator creates team-b with the sailbucket CLI; GetAccounts lists it without secrets', async () => {
    const created = sbJson<{ account: AccountOut; rootAccessKey: Creds & { createdAt: string } }>(
      await sb(['create-account', '--account-name', 'team-b']),
      'create-account',
    );
    assert.match(created.account.accountId, /^[1-9][0-9]{11}$/);
    assert.notEqual(created.account.accountId, server.accountId);
    assert.equal(created.account.accountName, 'team-b');
    assert.equal(created.account.isOperator, false);
    assert.equal(created.account.storageUsedBytes, 0);
    assert.match(created.rootAccessKey.accessKeyId, /^SBRT[0-9A-F]{16}$/);
    assert.equal(created.rootAccessKey.secretAccessKey.length, 40);
    teamB = { accountId: created.account.accountId, root: created.rootAccessKey };

    const listed = await sb(['get-accounts']);
    const accounts = sbJson<{ accounts: AccountOut[] }>(listed, 'get-accounts').accounts;
    assert.ok(!listed.stdout.includes(created.rootAccessKey.secretAccessKey), 'no secret in GetAccounts');
    assert.ok(!listed.stdout.includes('secretAccessKey'), listed.stdout);
    const op = accounts.find((a) => a.accountId === server.accountId);
    assert.ok(op?.isOperator, `the operator account is listed: ${listed.stdout}`);
    assert.equal(op.accountName, 'operator');
    assert.ok(op.storageUsedBytes >= 'operator data'.length, listed.stdout);
    assert.equal(op.accessKeys, undefined, "the operator's root is no account key");
    assert.deepEqual(
      accounts.find((a) => a.accountId === teamB.accountId),
      {
        accountId: teamB.accountId,
        accountName: 'team-b',
        createdAt: (accounts.find((a) => a.accountId === teamB.accountId) as unknown as { createdAt: string })
          .createdAt,
        isOperator: false,
        storageUsedBytes: 0,
        accessKeys: [{ accessKeyId: created.rootAccessKey.accessKeyId, createdAt: created.rootAccessKey.createdAt }],
      },
    );

    failsWith(await sb(['create-account', '--account-name', 'team-b']), 'InvalidInputException', 'duplicate name');
    failsWith(await sb(['create-account', '--account-name', '-bad']), 'InvalidInputException', 'bad name');
    failsWith(
      await sb(['delete-account', '--account-id', server.accountId]),
      'InvalidInputException',
      'deleting the operator',
    );
    failsWith(
      await sb(['delete-account', '--account-id', '999999999999']),
      'NotFoundException',
      'deleting an unknown account',
    );
  });

  it("team-b's root uses the AWS CLI on its own bucket and keys and sees nothing of the operator's", async () => {
    teamBBucket = uniqueBucketName('teamb');
    const b = awsJson<{ bucket: { name: string; arn: string } }>(
      await aws(teamB.root, ['lightsail', 'create-bucket', '--bucket-name', teamBBucket, '--bundle-id', 'small_1_0']),
      'create-bucket',
    );
    assert.ok(b.bucket.arn.includes(`:${teamB.accountId}:`), b.bucket.arn);
    const key = awsJson<{ accessKey: Creds }>(
      await aws(teamB.root, ['lightsail', 'create-bucket-access-key', '--bucket-name', teamBBucket]),
      'create-bucket-access-key',
    );
    teamBKey = { accessKeyId: key.accessKey.accessKeyId, secretAccessKey: key.accessKey.secretAccessKey };
    awsJson(
      await aws(teamB.root, ['s3api', 'put-object', '--bucket', teamBBucket, '--key', 'hello.txt', '--body', BIN_SELF]),
      's3api put-object as team-b root',
    );

    const buckets = awsJson<{ buckets: { name: string }[] }>(
      await aws(teamB.root, ['lightsail', 'get-buckets']),
      'get-buckets',
    );
    assert.deepEqual(
      buckets.buckets.map((x) => x.name),
      [teamBBucket],
    );
    const s3ls = awsJson<{ Buckets: { Name: string }[]; Owner: { DisplayName: string } }>(
      await aws(teamB.root, ['s3api', 'list-buckets']),
      'list-buckets',
    );
    assert.deepEqual(
      s3ls.Buckets.map((x) => x.Name),
      [teamBBucket],
    );
    assert.equal(s3ls.Owner.DisplayName, teamB.accountId);
    const opOps = awsJson<{ operations: { resourceName: string }[] }>(
      await aws(teamB.root, ['lightsail', 'get-operations']),
      'get-operations',
    );
    assert.ok(
      opOps.operations.every((o) => o.resourceName === teamBBucket),
      `only team-b's operations: ${JSON.stringify(opOps)}`,
    );

    // The operator's bucket is invisible on the control plane and AccessDenied on S3.
    for (const args of [
      ['get-buckets', '--bucket-name', opBucket],
      ['get-bucket-access-keys', '--bucket-name', opBucket],
      ['create-bucket-access-key', '--bucket-name', opBucket],
      ['delete-bucket', '--bucket-name', opBucket],
      ['update-bucket', '--bucket-name', opBucket, '--versioning', 'Enabled'],
      ['tag-resource', '--resource-name', opBucket, '--tags', 'key=x,value=y'],
      [
        'get-bucket-metric-data',
        '--bucket-name',
        opBucket,
        '--metric-name',
        'BucketSizeBytes',
        '--start-time',
        '2026-01-01T00:00:00Z',
        '--end-time',
        '2026-01-02T00:00:00Z',
        '--period',
        '3600',
        '--statistics',
        'Sum',
        '--unit',
        'Bytes',
      ],
    ]) {
      const r = await aws(teamB.root, ['lightsail', ...args]);
      failsWith(r, 'NotFoundException', `lightsail ${args[0]} on the operator's bucket`);
    }
    const foreignOps = awsJson<{ operations: unknown[] }>(
      await aws(teamB.root, ['lightsail', 'get-operations-for-resource', '--resource-name', opBucket]),
      "get-operations-for-resource on the operator's bucket",
    );
    assert.deepEqual(foreignOps.operations, [], "no operation of the operator's bucket is shown");
    failsWith(
      await aws(teamB.root, ['s3api', 'get-object', '--bucket', opBucket, '--key', 'shared.txt', '/dev/null']),
      'AccessDenied',
      "get-object on the operator's bucket",
    );
    failsWith(
      await aws(teamB.root, ['s3api', 'list-objects-v2', '--bucket', opBucket]),
      'AccessDenied',
      "list-objects-v2 on the operator's bucket",
    );
    failsWith(
      await aws(teamB.root, [
        's3api',
        'get-object',
        '--bucket',
        uniqueBucketName('nowhere'),
        '--key',
        'x',
        '/dev/null',
      ]),
      'NoSuchBucket',
      'a bucket that exists nowhere',
    );
    // Bucket names are unique across accounts.
    failsWith(
      await aws(teamB.root, ['lightsail', 'create-bucket', '--bucket-name', opBucket, '--bundle-id', 'small_1_0']),
      'InvalidInputException',
      "Lightsail create-bucket with the operator's name",
    );
    failsWith(
      await aws(teamB.root, ['s3api', 'create-bucket', '--bucket', opBucket]),
      'BucketAlreadyExists',
      "S3 create-bucket with the operator's name",
    );
    // The operator does not see team-b's bucket either.
    const opBuckets = awsJson<{ buckets: { name: string }[] }>(
      await aws(server.credentials, ['lightsail', 'get-buckets']),
      'operator get-buckets',
    );
    assert.ok(!opBuckets.buckets.some((x) => x.name === teamBBucket));
    failsWith(
      await aws(server.credentials, ['lightsail', 'get-bucket-access-keys', '--bucket-name', teamBBucket]),
      'NotFoundException',
      "operator naming team-b's bucket",
    );
  });

  it("team-b's root and bucket key use boto3; owners are team-b's account", async () => {
    const script = String.raw`
import json, sys, boto3
from botocore.exceptions import ClientError
endpoint, bucket, other = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
out = {}
s3.put_object(Bucket=bucket, Key='boto.txt', Body=b'from boto3')
out['body'] = s3.get_object(Bucket=bucket, Key='boto.txt')['Body'].read().decode()
lst = s3.list_objects_v2(Bucket=bucket, FetchOwner=True)
out['owners'] = sorted({o['Owner']['DisplayName'] for o in lst['Contents']})
out['acl_owner'] = s3.get_object_acl(Bucket=bucket, Key='boto.txt')['Owner']['DisplayName']
try:
    s3.get_object(Bucket=other, Key='shared.txt')
    out['other'] = 'no error'
except ClientError as e:
    out['other'] = e.response['Error']['Code']
print(json.dumps(out))
`;
    for (const creds of [teamB.root, teamBKey]) {
      const r = await boto(creds, script, teamBBucket, opBucket);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(out.body, 'from boto3');
      assert.deepEqual(out.owners, [teamB.accountId]);
      assert.equal(out.acl_owner, teamB.accountId);
      assert.equal(out.other, 'AccessDenied');
    }
  });

  it("team-b's root cannot call the admin operations; it rotates its own root keys only", async () => {
    for (const args of [
      ['get-accounts'],
      ['create-account', '--account-name', 'sneaky'],
      ['update-account', '--account-id', teamB.accountId, '--storage-quota-bytes', '1'],
      ['delete-account', '--account-id', teamB.accountId],
      ['create-account-access-key', '--account-id', server.accountId],
    ]) {
      failsWith(await sb(args, teamB.root), 'AccessDeniedException', `team-b ${args[0]}`);
    }
    failsWith(await sb(['get-accounts'], teamBKey), 'AccessDeniedException', 'a bucket key on GetAccounts');

    const second = sbJson<{ accessKey: Creds }>(
      await sb(['create-account-access-key', '--account-id', teamB.accountId], teamB.root),
      'create-account-access-key (own account)',
    ).accessKey;
    failsWith(
      await sb(['create-account-access-key', '--account-id', teamB.accountId], teamB.root),
      'InvalidInputException',
      'a third root key',
    );
    // The new key works at once; the old one is deleted with the new one and stops at once.
    const viaSecond = awsJson<{ buckets: { name: string }[] }>(
      await aws(second, ['lightsail', 'get-buckets']),
      'get-buckets with the second root key',
    );
    assert.deepEqual(
      viaSecond.buckets.map((x) => x.name),
      [teamBBucket],
    );
    const remaining = sbJson<{ accessKeys: { accessKeyId: string; secretAccessKey?: string }[] }>(
      await sb(
        ['delete-account-access-key', '--account-id', teamB.accountId, '--access-key-id', teamB.root.accessKeyId],
        second,
      ),
      'delete-account-access-key',
    ).accessKeys;
    assert.deepEqual(
      remaining.map((k) => k.accessKeyId),
      [second.accessKeyId],
    );
    assert.equal(remaining[0].secretAccessKey, undefined);
    failsWith(await aws(teamB.root, ['s3api', 'list-buckets']), 'InvalidAccessKeyId', 'the deleted root key on S3');
    failsWith(
      await sb(
        ['delete-account-access-key', '--account-id', teamB.accountId, '--access-key-id', second.accessKeyId],
        second,
      ),
      'InvalidInputException',
      "deleting the account's last root key",
    );
    teamB = { ...teamB, root: second };
  });

  it('readonlyAccessAccounts: get/list work for the listed root, writes are AccessDenied, revocation within 1 s', async () => {
    awsJson(
      await aws(server.credentials, [
        'lightsail',
        'update-bucket',
        '--bucket-name',
        opBucket,
        '--readonly-access-accounts',
        teamB.accountId,
      ]),
      'grant',
    );
    const got = await aws(teamB.root, ['s3', 'cp', `s3://${opBucket}/shared.txt`, '-']);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, 'operator data');
    const listed = awsJson<{ Contents: { Key: string }[] }>(
      await aws(teamB.root, ['s3api', 'list-objects-v2', '--bucket', opBucket]),
      'list-objects-v2 with read-only access',
    );
    assert.deepEqual(
      listed.Contents.map((c) => c.Key),
      ['shared.txt'],
    );
    awsJson(await aws(teamB.root, ['s3api', 'head-bucket', '--bucket', opBucket]), 'head-bucket');
    failsWith(
      await aws(teamB.root, ['s3api', 'put-object', '--bucket', opBucket, '--key', 'intruder.txt', '--body', BIN_SELF]),
      'AccessDenied',
      'put-object with read-only access',
    );
    failsWith(
      await aws(teamB.root, ['s3api', 'delete-object', '--bucket', opBucket, '--key', 'shared.txt']),
      'AccessDenied',
      'delete-object with read-only access',
    );
    failsWith(
      await aws(teamB.root, [
        's3api',
        'put-bucket-versioning',
        '--bucket',
        opBucket,
        '--versioning-configuration',
        'Status=Enabled',
      ]),
      'AccessDenied',
      'put-bucket-versioning with read-only access',
    );
    // The grant is the account root's: team-b's bucket key stays confined to its bucket.
    failsWith(
      await aws(teamBKey, ['s3api', 'get-object', '--bucket', opBucket, '--key', 'shared.txt', '/dev/null']),
      'AccessDenied',
      "team-b's bucket key on the granted bucket",
    );
    // The control plane still does not show another account's bucket.
    failsWith(
      await aws(teamB.root, ['lightsail', 'get-buckets', '--bucket-name', opBucket]),
      'NotFoundException',
      'get-buckets of a granted bucket',
    );
    const objects = awsJson<{ Contents: { Key: string }[] }>(
      await aws(server.credentials, ['s3api', 'list-objects-v2', '--bucket', opBucket]),
      'operator list',
    );
    assert.deepEqual(
      objects.Contents.map((c) => c.Key),
      ['shared.txt'],
      'nothing changed',
    );

    // Revoke (SDK, so the timing is not a CLI start-up) and watch a signed GET turn AccessDenied.
    const { UpdateBucketCommand } = await import('@aws-sdk/client-lightsail');
    await operator.lightsail.send(new UpdateBucketCommand({ bucketName: opBucket, readonlyAccessAccounts: [] }));
    const revokedAt = Date.now();
    let last = '';
    while (Date.now() - revokedAt < 1000) {
      const r = await sendAs(
        server.endpoint,
        { kind: 'header', creds: teamB.root },
        { method: 'GET', path: `/${opBucket}/shared.txt` },
      );
      last = code(r);
      if (last === '403 AccessDenied') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(last, '403 AccessDenied', 'access revoked within 1 s');
    failsWith(
      await aws(teamB.root, ['s3api', 'list-objects-v2', '--bucket', opBucket]),
      'AccessDenied',
      'list after revocation',
    );
  });

  it('a storage quota refuses the write that would pass it, changes nothing, and leaves reads and deletes working', async () => {
    const usage = () =>
      sb(['get-accounts']).then((r) =>
        sbJson<{ accounts: AccountOut[] }>(r, 'get-accounts').accounts.find((a) => a.accountId === teamB.accountId)!,
      );
    const before = await usage();
    assert.ok(before.storageUsedBytes > 0, JSON.stringify(before));
    const quota = before.storageUsedBytes + 100;
    const updated = sbJson<{ account: AccountOut }>(
      await sb(['update-account', '--account-id', teamB.accountId, '--storage-quota-bytes', String(quota)]),
      'update-account',
    ).account;
    assert.equal(updated.storageQuotaBytes, quota);
    assert.equal(updated.storageUsedBytes, before.storageUsedBytes);

    const fits = await sendAs(
      server.endpoint,
      { kind: 'header', creds: teamB.root },
      { method: 'PUT', path: `/${teamBBucket}/fits.bin`, body: 'x'.repeat(60) },
    );
    assert.equal(fits.status, 200, fits.body);
    const over = await sendAs(
      server.endpoint,
      { kind: 'header', creds: teamBKey },
      { method: 'PUT', path: `/${teamBBucket}/over.bin`, body: 'y'.repeat(60) },
    );
    assert.equal(code(over), '403 QuotaExceeded', over.body);
    assert.match(over.message ?? '', /quota/);
    // boto3 sees the same error code; a multipart part over the quota is refused too.
    const boto3Over = await boto(
      teamB.root,
      String.raw`
import json, sys, boto3
from botocore.exceptions import ClientError
endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
out = {}
try:
    s3.put_object(Bucket=bucket, Key='boto-over.bin', Body=b'z' * 500)
    out['put'] = 'ok'
except ClientError as e:
    out['put'] = [e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code']]
up = s3.create_multipart_upload(Bucket=bucket, Key='mp.bin')
try:
    s3.upload_part(Bucket=bucket, Key='mp.bin', UploadId=up['UploadId'], PartNumber=1, Body=b'p' * 500)
    out['part'] = 'ok'
except ClientError as e:
    out['part'] = e.response['Error']['Code']
s3.abort_multipart_upload(Bucket=bucket, Key='mp.bin', UploadId=up['UploadId'])
print(json.dumps(out))
`,
      teamBBucket,
    );
    assert.equal(boto3Over.code, 0, boto3Over.stderr);
    assert.deepEqual(JSON.parse(boto3Over.stdout), { put: [403, 'QuotaExceeded'], part: 'QuotaExceeded' });
    failsWith(
      await aws(teamB.root, [
        's3api',
        'copy-object',
        '--bucket',
        teamBBucket,
        '--key',
        'copy.bin',
        '--copy-source',
        `${teamBBucket}/fits.bin`,
      ]),
      'QuotaExceeded',
      'copy-object over the quota',
    );

    const during = await usage();
    assert.equal(during.storageUsedBytes, before.storageUsedBytes + 60, 'the refused writes stored nothing');
    const keys = awsJson<{ Contents: { Key: string }[] }>(
      await aws(teamB.root, ['s3api', 'list-objects-v2', '--bucket', teamBBucket]),
      'list',
    ).Contents.map((c) => c.Key);
    assert.ok(keys.includes('fits.bin') && !keys.includes('over.bin') && !keys.includes('boto-over.bin'), keys.join());
    // Reads and deletes still work at the quota.
    const read = await aws(teamB.root, ['s3', 'cp', `s3://${teamBBucket}/fits.bin`, '-']);
    assert.equal(read.stdout, 'x'.repeat(60));
    awsJson(
      await aws(teamB.root, ['s3api', 'delete-object', '--bucket', teamBBucket, '--key', 'fits.bin']),
      'delete at quota',
    );
    assert.equal((await usage()).storageUsedBytes, before.storageUsedBytes);

    // Without --storage-quota-bytes the quota is removed.
    const cleared = sbJson<{ account: AccountOut }>(
      await sb(['update-account', '--account-id', teamB.accountId]),
      'update-account without a quota',
    ).account;
    assert.equal(cleared.storageQuotaBytes, undefined);
    const after = await sendAs(
      server.endpoint,
      { kind: 'header', creds: teamB.root },
      { method: 'PUT', path: `/${teamBBucket}/over.bin`, body: 'y'.repeat(600) },
    );
    assert.equal(after.status, 200, after.body);
  });

  it('delete-account is refused while team-b owns buckets; --force-delete deletes everything and its credentials stop', async () => {
    failsWith(
      await sb(['delete-account', '--account-id', teamB.accountId]),
      'InvalidInputException',
      'delete-account with buckets',
    );
    awsJson(await aws(teamB.root, ['s3api', 'list-buckets']), 'team-b still works after the refusal');
    const deleted = sbJson<{ account: AccountOut }>(
      await sb(['delete-account', '--account-id', teamB.accountId, '--force-delete']),
      'delete-account --force-delete',
    ).account;
    assert.equal(deleted.accountId, teamB.accountId);
    failsWith(await aws(teamB.root, ['s3api', 'list-buckets']), 'InvalidAccessKeyId', "team-b's root on S3");
    failsWith(
      await aws(teamBKey, ['s3api', 'get-object', '--bucket', teamBBucket, '--key', 'hello.txt', '/dev/null']),
      'InvalidAccessKeyId',
      "team-b's bucket key on S3",
    );
    failsWith(await aws(teamB.root, ['lightsail', 'get-buckets']), 'UnrecognizedClientException', 'control plane');
    const accounts = sbJson<{ accounts: AccountOut[] }>(await sb(['get-accounts']), 'get-accounts').accounts;
    assert.ok(!accounts.some((a) => a.accountId === teamB.accountId));
    // The bucket name is free again.
    await operator.createBucket(teamBBucket);
    const fresh = await sendAs(
      server.endpoint,
      { kind: 'header', creds: server.credentials },
      { method: 'GET', path: `/${teamBBucket}`, query: { 'list-type': '2' } },
    );
    assert.equal(fresh.status, 200);
    assert.ok(!fresh.body.includes('<Key>'), `a recreated bucket is empty: ${fresh.body}`);
  });
});
