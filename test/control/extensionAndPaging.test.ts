/** The SailbucketAdmin UpdateBucketAccessKey extension, and GetBuckets pagination with pageToken. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  GetBucketAccessKeysCommand,
  GetBucketsCommand,
  GetOperationsForResourceCommand,
  type LightsailClient,
} from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { assertRawError, expectError, lightsailClient, rawCall } from './support.js';

const ADMIN = 'SailbucketAdmin_20261129.UpdateBucketAccessKey';

describe('extension and paging', () => {
  let server: TestServer;
  let ls: LightsailClient;
  before(async () => {
    server = await startServer();
    ls = lightsailClient(server);
  });
  after(async () => {
    ls?.destroy();
    await server?.stop();
  });

  it('UpdateBucketAccessKey switches a key Inactive and Active again, recording operations', async () => {
    const name = uniqueBucketName('ext');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const { accessKey } = await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }));
    const id = accessKey!.accessKeyId!;
    let r = await rawCall(server, '', { bucketName: name, accessKeyId: id, status: 'Inactive' }, { target: ADMIN });
    assert.equal(r.status, 200, r.text);
    const op = (r.json.operations as Record<string, unknown>[])[0];
    assert.equal(op.operationType, 'UpdateBucketAccessKey');
    assert.equal(typeof op.createdAt, 'number');
    assert.equal(
      (await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys![0].status,
      'Inactive',
    );
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: id, secretAccessKey: accessKey!.secretAccessKey! },
    });
    await expectError(s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' })), 'InvalidAccessKeyId');
    r = await rawCall(server, '', { bucketName: name, accessKeyId: id, status: 'Active' }, { target: ADMIN });
    assert.equal(r.status, 200, r.text);
    assert.equal((await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys![0].status, 'Active');
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    s3.destroy();
    const ops = (await ls.send(new GetOperationsForResourceCommand({ resourceName: name }))).operations!.map(
      (o) => o.operationType,
    );
    assert.deepEqual(ops, ['CreateBucket', 'CreateBucketAccessKey', 'UpdateBucketAccessKey', 'UpdateBucketAccessKey']);

    assertRawError(
      await rawCall(server, '', { bucketName: name, accessKeyId: id, status: 'Sleeping' }, { target: ADMIN }),
      'InvalidInputException',
    );
    assertRawError(
      await rawCall(
        server,
        '',
        { bucketName: name, accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', status: 'Active' },
        { target: ADMIN },
      ),
      'NotFoundException',
    );
    assertRawError(
      await rawCall(server, '', { bucketName: name, status: 'Active' }, { target: ADMIN }),
      'InvalidInputException',
    );
    const unsigned = await rawCall(
      server,
      '',
      { bucketName: name, accessKeyId: id, status: 'Active' },
      { target: ADMIN, sign: false },
    );
    assertRawError(unsigned, 'MissingAuthenticationTokenException');
    // A key of the bucket cannot switch itself (or anything) through the control plane.
    const asKey = await rawCall(
      server,
      '',
      { bucketName: name, accessKeyId: id, status: 'Inactive' },
      { target: ADMIN, sign: { accessKeyId: id, secretAccessKey: accessKey!.secretAccessKey! } },
    );
    assertRawError(asKey, 'AccessDeniedException');
  });

  it('GetBuckets pages through more buckets than one page holds', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 105; i++) {
      const name = uniqueBucketName(`pg${String(i).padStart(3, '0')}`);
      names.add(name);
      await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    }
    const first = await ls.send(new GetBucketsCommand({}));
    assert.ok(first.nextPageToken, 'a second page exists');
    const seen: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await ls.send(new GetBucketsCommand({ pageToken: token }));
      pages++;
      for (const b of page.buckets ?? []) seen.push(b.name!);
      token = page.nextPageToken;
      assert.ok(pages < 20, 'pagination terminates');
    } while (token);
    assert.ok(pages >= 2);
    assert.equal(new Set(seen).size, seen.length, 'no bucket twice');
    for (const n of names) assert.ok(seen.includes(n), `bucket ${n} listed`);
    await expectError(
      ls.send(new GetBucketsCommand({ pageToken: 'not-a-token' })),
      'InvalidInputException',
      'not-a-token',
    );
  });
});
