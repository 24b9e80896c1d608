/** Every control-plane operation through @aws-sdk/client-lightsail against the built server. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  GetBucketsCommand,
  UpdateBucketCommand,
  DeleteBucketCommand,
  UpdateBucketBundleCommand,
  GetBucketBundlesCommand,
  GetBucketMetricDataCommand,
  CreateBucketAccessKeyCommand,
  GetBucketAccessKeysCommand,
  DeleteBucketAccessKeyCommand,
  SetResourceAccessForBucketCommand,
  GetOperationCommand,
  GetOperationsCommand,
  GetOperationsForResourceCommand,
  GetRegionsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type LightsailClient,
} from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { expectError, lightsailClient, REGION } from './support.js';

describe('Lightsail SDK: every operation', () => {
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

  it('CreateBucket returns every bucket field and a succeeded operation', async () => {
    const name = uniqueBucketName('create');
    const out = await ls.send(
      new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0', tags: [{ key: 'team', value: 'a' }] }),
    );
    const b = out.bucket!;
    assert.equal(b.name, name);
    assert.equal(b.resourceType, 'Bucket');
    assert.equal(b.bundleId, 'small_1_0');
    assert.match(b.arn!, new RegExp(`^arn:aws:lightsail:${REGION}:${server.accountId}:Bucket/[0-9a-f-]{36}$`));
    assert.equal(b.supportCode, `${server.accountId}/${name}`);
    assert.deepEqual(b.location, { availabilityZone: 'all', regionName: REGION });
    assert.equal(b.url, `${server.endpoint}/${name}/`);
    assert.ok(b.createdAt instanceof Date && Math.abs(b.createdAt.getTime() - Date.now()) < 60_000);
    assert.deepEqual(b.tags, [{ key: 'team', value: 'a' }]);
    assert.equal(b.objectVersioning, 'NeverEnabled');
    assert.equal(b.ableToUpdateBundle, true);
    assert.deepEqual(b.readonlyAccessAccounts, []);
    assert.deepEqual(b.resourcesReceivingAccess, []);
    assert.deepEqual(b.accessRules, { getObject: 'private', allowPublicOverrides: false });
    assert.deepEqual(b.state, { code: 'OK' });
    assert.deepEqual(b.accessLogConfig, { enabled: false });
    assert.equal(b.cors, undefined);
    const op = out.operations![0];
    assert.equal(op.operationType, 'CreateBucket');
    assert.equal(op.resourceName, name);
    assert.equal(op.status, 'Succeeded');
    assert.equal(op.isTerminal, true);
  });

  it('CreateBucket with versioning, and duplicate / malformed names / unknown bundle are InvalidInput', async () => {
    const name = uniqueBucketName('ver');
    const out = await ls.send(
      new CreateBucketCommand({ bucketName: name, bundleId: 'medium_1_0', enableObjectVersioning: true }),
    );
    assert.equal(out.bucket!.objectVersioning, 'Enabled');
    await expectError(
      ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' })),
      'InvalidInputException',
      name,
    );
    for (const bad of [
      'ab',
      'Upper-case',
      'has--dashes',
      '-leading',
      'trailing-',
      '192.168.1.1',
      'a'.repeat(55),
      'under_score',
    ]) {
      await expectError(
        ls.send(new CreateBucketCommand({ bucketName: bad, bundleId: 'small_1_0' })),
        'InvalidInputException',
      );
    }
    await expectError(
      ls.send(new CreateBucketCommand({ bucketName: uniqueBucketName('nb'), bundleId: 'huge_9_9' })),
      'InvalidInputException',
      'huge_9_9',
    );
  });

  it('GetBuckets lists, finds by name, includes cors on request, and says NotFound by name', async () => {
    const name = uniqueBucketName('get');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const all = await ls.send(new GetBucketsCommand({}));
    assert.ok(all.buckets!.some((b) => b.name === name));
    assert.deepEqual(all.accountLevelBpaSync, { status: 'InSync', bpaImpactsLightsail: false });
    const one = await ls.send(new GetBucketsCommand({ bucketName: name, includeCors: true }));
    assert.equal(one.buckets!.length, 1);
    assert.deepEqual(one.buckets![0].cors, { rules: [] });
    const noCors = await ls.send(new GetBucketsCommand({ bucketName: name }));
    assert.equal(noCors.buckets![0].cors, undefined);
    await expectError(
      ls.send(new GetBucketsCommand({ bucketName: 'no-such-bucket-here' })),
      'NotFoundException',
      'no-such-bucket-here',
    );
  });

  it('UpdateBucket changes access rules, versioning, readonly accounts, logging and cors', async () => {
    const name = uniqueBucketName('upd');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const out = await ls.send(
      new UpdateBucketCommand({
        bucketName: name,
        accessRules: { getObject: 'public', allowPublicOverrides: false },
        versioning: 'Enabled',
        readonlyAccessAccounts: ['111122223333'],
        cors: { rules: [{ id: 'r1', allowedMethods: ['GET'], allowedOrigins: ['*'], maxAgeSeconds: 60 }] },
      }),
    );
    const b = out.bucket!;
    assert.equal(b.accessRules!.getObject, 'public');
    assert.equal(b.objectVersioning, 'Enabled');
    assert.deepEqual(b.readonlyAccessAccounts, ['111122223333']);
    assert.equal(b.cors!.rules![0].id, 'r1');
    assert.ok(out.operations!.length >= 1);
    const again = await ls.send(new UpdateBucketCommand({ bucketName: name, versioning: 'Suspended' }));
    assert.equal(again.bucket!.objectVersioning, 'Suspended');
    assert.equal(again.bucket!.cors, undefined, 'cors only when just updated');
    await expectError(
      ls.send(new UpdateBucketCommand({ bucketName: name, versioning: 'NeverEnabled' })),
      'InvalidInputException',
    );
    await expectError(
      ls.send(new UpdateBucketCommand({ bucketName: 'missing-bucket-x', versioning: 'Enabled' })),
      'NotFoundException',
      'missing-bucket-x',
    );
  });

  it('UpdateBucketBundle changes the plan once, then ableToUpdateBundle is false', async () => {
    const name = uniqueBucketName('bndl');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const out = await ls.send(new UpdateBucketBundleCommand({ bucketName: name, bundleId: 'medium_1_0' }));
    assert.equal(out.operations![0].operationType, 'UpdateBucketBundle');
    const b = (await ls.send(new GetBucketsCommand({ bucketName: name }))).buckets![0];
    assert.equal(b.bundleId, 'medium_1_0');
    assert.equal(b.ableToUpdateBundle, false);
    await expectError(
      ls.send(new UpdateBucketBundleCommand({ bucketName: name, bundleId: 'large_1_0' })),
      'InvalidInputException',
    );
    await expectError(
      ls.send(new UpdateBucketBundleCommand({ bucketName: 'nope-bucket-zz', bundleId: 'large_1_0' })),
      'NotFoundException',
    );
  });

  it('GetBucketBundles returns the three plans', async () => {
    const out = await ls.send(new GetBucketBundlesCommand({}));
    assert.deepEqual(
      out.bundles!.map((b) => [b.bundleId, b.name, b.price, b.storagePerMonthInGb, b.transferPerMonthInGb, b.isActive]),
      [
        ['small_1_0', 'Object Storage 5GB', 1, 5, 25, true],
        ['medium_1_0', 'Object Storage 100GB', 3, 100, 250, true],
        ['large_1_0', 'Object Storage 250GB', 5, 250, 500, true],
      ],
    );
    assert.equal((await ls.send(new GetBucketBundlesCommand({ includeInactive: true }))).bundles!.length, 3);
  });

  it('GetBucketMetricData: no datapoints for an empty bucket; bad input and missing bucket fail', async () => {
    const name = uniqueBucketName('met');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const now = Date.now();
    const out = await ls.send(
      new GetBucketMetricDataCommand({
        bucketName: name,
        metricName: 'BucketSizeBytes',
        startTime: new Date(now - 86_400_000),
        endTime: new Date(now),
        period: 3600,
        statistics: ['Average', 'Maximum'],
        unit: 'Bytes',
      }),
    );
    assert.equal(out.metricName, 'BucketSizeBytes');
    assert.deepEqual(out.metricData, []);
    await expectError(
      ls.send(
        new GetBucketMetricDataCommand({
          bucketName: name,
          metricName: 'Bogus' as never,
          startTime: new Date(now - 1000),
          endTime: new Date(now),
          period: 3600,
          statistics: ['Average'],
          unit: 'Bytes',
        }),
      ),
      'InvalidInputException',
      'metricName',
    );
    await expectError(
      ls.send(
        new GetBucketMetricDataCommand({
          bucketName: 'absent-bucket-q',
          metricName: 'NumberOfObjects',
          startTime: new Date(now - 1000),
          endTime: new Date(now),
          period: 3600,
          statistics: ['Sum'],
          unit: 'Count',
        }),
      ),
      'NotFoundException',
    );
  });

  it('access keys: create shows the secret once, list hides it, delete removes it', async () => {
    const name = uniqueBucketName('keys');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const created = await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }));
    const k = created.accessKey!;
    assert.match(k.accessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.match(k.secretAccessKey!, /^[A-Za-z0-9+/]{40}$/);
    assert.equal(k.status, 'Active');
    assert.ok(k.createdAt instanceof Date);
    assert.equal(k.lastUsed, undefined);
    const op = created.operations![0];
    assert.equal(op.operationType, 'CreateBucketAccessKey');
    assert.equal(op.resourceType, 'Bucket');
    assert.equal(op.resourceName, name);
    assert.equal(op.status, 'Succeeded');
    assert.equal(op.isTerminal, true);
    assert.equal(op.createdAt!.getTime(), op.statusChangedAt!.getTime());
    assert.deepEqual(op.location, { availabilityZone: 'all', regionName: REGION });
    const listed = await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }));
    assert.equal(listed.accessKeys!.length, 1);
    assert.equal(listed.accessKeys![0].accessKeyId, k.accessKeyId);
    assert.equal(listed.accessKeys![0].secretAccessKey, undefined);
    assert.deepEqual(listed.accessKeys![0].lastUsed, { region: 'N/A', serviceName: 'N/A' });
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: k.accessKeyId!, secretAccessKey: k.secretAccessKey! },
    });
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'before-delete', Body: 'x' }));
    await ls.send(new DeleteBucketAccessKeyCommand({ bucketName: name, accessKeyId: k.accessKeyId! }));
    // The deleted key stops authenticating at once.
    await expectError(
      s3.send(new PutObjectCommand({ Bucket: name, Key: 'after-delete', Body: 'x' })),
      'InvalidAccessKeyId',
    );
    s3.destroy();
    assert.deepEqual((await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys, []);
    await expectError(
      ls.send(new DeleteBucketAccessKeyCommand({ bucketName: name, accessKeyId: k.accessKeyId! })),
      'NotFoundException',
    );
    await expectError(
      ls.send(new CreateBucketAccessKeyCommand({ bucketName: 'nobucket-for-key' })),
      'NotFoundException',
      'nobucket-for-key',
    );
    await expectError(ls.send(new GetBucketAccessKeysCommand({ bucketName: 'nobucket-for-key' })), 'NotFoundException');
  });

  it('SetResourceAccessForBucket names the missing instance', async () => {
    const name = uniqueBucketName('sra');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    await expectError(
      ls.send(
        new SetResourceAccessForBucketCommand({ bucketName: name, resourceName: 'my-instance', access: 'allow' }),
      ),
      'NotFoundException',
      'my-instance',
    );
    await expectError(
      ls.send(
        new SetResourceAccessForBucketCommand({
          bucketName: name,
          resourceName: 'my-instance',
          access: 'maybe' as never,
        }),
      ),
      'InvalidInputException',
      'access',
    );
  });

  it('operations: GetOperation, GetOperations (oldest first), GetOperationsForResource', async () => {
    const name = uniqueBucketName('ops');
    const created = await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const opId = created.operations![0].id!;
    const got = await ls.send(new GetOperationCommand({ operationId: opId }));
    assert.equal(got.operation!.id, opId);
    assert.equal(got.operation!.status, 'Succeeded');
    await ls.send(new TagResourceCommand({ resourceName: name, tags: [{ key: 'k', value: 'v' }] }));
    const all = await ls.send(new GetOperationsCommand({}));
    const times = all.operations!.map((o) => o.createdAt!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'oldest first',
    );
    assert.ok(all.operations!.some((o) => o.id === opId));
    const forRes = await ls.send(new GetOperationsForResourceCommand({ resourceName: name }));
    assert.deepEqual(
      forRes.operations!.map((o) => o.operationType),
      ['CreateBucket', 'TagResource'],
    );
    await expectError(
      ls.send(new GetOperationCommand({ operationId: '00000000-0000-4000-8000-000000000000' })),
      'NotFoundException',
    );
  });

  it('GetRegions lists regions; zones only when asked', async () => {
    const plain = await ls.send(new GetRegionsCommand({}));
    const use1 = plain.regions!.find((r) => r.name === 'us-east-1')!;
    assert.ok(use1 && use1.displayName && use1.continentCode === 'NA');
    assert.deepEqual(use1.availabilityZones ?? [], []);
    const zoned = await ls.send(new GetRegionsCommand({ includeAvailabilityZones: true }));
    assert.ok(
      zoned.regions!.find((r) => r.name === 'us-east-1')!.availabilityZones!.some((z) => z.zoneName === 'us-east-1a'),
    );
  });

  it('TagResource / UntagResource by name and by ARN, with limits', async () => {
    const name = uniqueBucketName('tags');
    const { bucket } = await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    await ls.send(
      new TagResourceCommand({
        resourceName: name,
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '' },
        ],
      }),
    );
    await ls.send(
      new TagResourceCommand({ resourceName: name, resourceArn: bucket!.arn, tags: [{ key: 'c', value: '3' }] }),
    );
    let tags = (await ls.send(new GetBucketsCommand({ bucketName: name }))).buckets![0].tags!;
    assert.deepEqual(tags.map((t) => t.key).sort(), ['a', 'b', 'c']);
    await ls.send(new UntagResourceCommand({ resourceName: name, tagKeys: ['a', 'c'] }));
    tags = (await ls.send(new GetBucketsCommand({ bucketName: name }))).buckets![0].tags!;
    assert.deepEqual(tags, [{ key: 'b', value: '' }]);
    await expectError(
      ls.send(new TagResourceCommand({ resourceName: name, tags: [{ key: 'x'.repeat(129), value: 'v' }] })),
      'InvalidInputException',
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expectError(ls.send(new TagResourceCommand({ resourceName: name, tags: many })), 'InvalidInputException');
    await expectError(
      ls.send(new TagResourceCommand({ resourceName: 'not-a-bucket-tg', tags: [{ key: 'a', value: 'b' }] })),
      'NotFoundException',
    );
  });

  it('DeleteBucket refuses a bucket with keys or objects unless forced; missing is NotFound', async () => {
    const name = uniqueBucketName('del');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const k = (await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }))).accessKey!;
    await expectError(ls.send(new DeleteBucketCommand({ bucketName: name })), 'InvalidInputException', 'access key');
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: k.accessKeyId!, secretAccessKey: k.secretAccessKey! },
    });
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'obj', Body: 'data' }));
    s3.destroy();
    await expectError(ls.send(new DeleteBucketCommand({ bucketName: name })), 'InvalidInputException', 'not empty');
    const out = await ls.send(new DeleteBucketCommand({ bucketName: name, forceDelete: true }));
    assert.equal(out.operations![0].operationType, 'DeleteBucket');
    await expectError(ls.send(new GetBucketsCommand({ bucketName: name })), 'NotFoundException');
    await expectError(ls.send(new DeleteBucketCommand({ bucketName: name })), 'NotFoundException', name);
  });

  it('missing required members are InvalidInput naming the member', async () => {
    await expectError(
      ls.send(new CreateBucketCommand({ bucketName: uniqueBucketName('req') } as never)),
      'InvalidInputException',
      'bundleId',
    );
  });
});
