/**
 * Every command at least once against a real server (the built `sailbucket serve` on port 0),
 * through the built CLI: each flag kind (string, boolean on/off, integer, timestamp, enum, list of
 * strings, structure and list of structures as shorthand and JSON), output as modelled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueBucketName } from '../helpers/server.js';
import { ISO8601, useServerCli } from './serverCli.js';

const fx = useServerCli();

test('bucket lifecycle: create (shorthand tags, boolean), get, update (structure, enum, list), bundle, delete', async () => {
  const name = uniqueBucketName('cli');
  const created = await fx.cli.json([
    'create-bucket',
    '--bucket-name',
    name,
    '--bundle-id',
    'small_1_0',
    '--tags',
    'key=team,value=photos',
    'key=env,value=',
    '--enable-object-versioning',
  ]);
  assert.equal(created.bucket.name, name);
  assert.equal(created.bucket.objectVersioning, 'Enabled');
  assert.match(created.bucket.createdAt, ISO8601);
  assert.deepEqual(created.bucket.tags, [
    { key: 'team', value: 'photos' },
    { key: 'env', value: '' },
  ]);
  assert.match(created.operations[0].createdAt, ISO8601);

  const other = uniqueBucketName('cli');
  const plain = await fx.cli.json([
    'create-bucket',
    '--bucket-name',
    other,
    '--bundle-id',
    'small_1_0',
    '--no-enable-object-versioning',
    '--tags',
    '[{"key":"a","value":"b"}]',
  ]);
  assert.equal(plain.bucket.objectVersioning, 'NeverEnabled');
  assert.deepEqual(plain.bucket.tags, [{ key: 'a', value: 'b' }]);

  const got = await fx.cli.json([
    'get-buckets',
    '--bucket-name',
    name,
    '--include-connected-resources',
    '--no-include-cors',
  ]);
  assert.equal(got.buckets.length, 1);
  assert.equal(got.buckets[0].name, name);

  const rules = await fx.cli.json([
    'update-bucket',
    '--bucket-name',
    name,
    '--access-rules',
    'getObject=public,allowPublicOverrides=true',
  ]);
  assert.deepEqual(rules.bucket.accessRules, { getObject: 'public', allowPublicOverrides: true });
  const updated = await fx.cli.json([
    'update-bucket',
    '--bucket-name',
    name,
    '--versioning',
    'Suspended',
    '--readonly-access-accounts',
    '111122223333',
    '444455556666',
    '--cors',
    '{"rules":[{"id":"r1","allowedMethods":["GET"],"allowedOrigins":["*"],"maxAgeSeconds":60}]}',
  ]);
  assert.equal(updated.bucket.objectVersioning, 'Suspended');
  assert.deepEqual(updated.bucket.readonlyAccessAccounts, ['111122223333', '444455556666']);

  const bundle = await fx.cli.json(['update-bucket-bundle', '--bucket-name', name, '--bundle-id', 'medium_1_0']);
  assert.equal(bundle.operations[0].operationType, 'UpdateBucketBundle');
  const bundles = await fx.cli.json(['get-bucket-bundles', '--include-inactive']);
  assert.deepEqual(
    bundles.bundles.map((b: { bundleId: string }) => b.bundleId),
    ['small_1_0', 'medium_1_0', 'large_1_0'],
  );
  assert.equal(bundles.bundles[0].price, 1);

  const deleted = await fx.cli.json(['delete-bucket', '--bucket-name', name, '--force-delete']);
  assert.equal(deleted.operations[0].operationType, 'DeleteBucket');
  const gone = await fx.cli.run(['get-buckets', '--bucket-name', name]);
  assert.equal(gone.code, 254);
  assert.match(
    gone.stderr,
    new RegExp(`An error occurred \\(NotFoundException\\) when calling the GetBuckets operation: .*${name}`),
  );
  await fx.cli.json(['delete-bucket', '--bucket-name', other, '--no-force-delete']);
});

test('access keys: create, list, the Sailbucket extension update-bucket-access-key --status, delete', async () => {
  const name = uniqueBucketName('keys');
  await fx.cli.json(['create-bucket', '--bucket-name', name, '--bundle-id', 'small_1_0']);
  const created = await fx.cli.json(['create-bucket-access-key', '--bucket-name', name]);
  const id: string = created.accessKey.accessKeyId;
  assert.match(id, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(created.accessKey.secretAccessKey.length, 40);
  const listed = await fx.cli.json(['get-bucket-access-keys', '--bucket-name', name]);
  assert.deepEqual(
    listed.accessKeys.map((k: { accessKeyId: string }) => k.accessKeyId),
    [id],
  );
  assert.equal(listed.accessKeys[0].secretAccessKey, undefined);
  assert.match(listed.accessKeys[0].createdAt, ISO8601);

  await fx.cli.json(['update-bucket-access-key', '--bucket-name', name, '--access-key-id', id, '--status', 'Inactive']);
  const after = await fx.cli.json(['get-bucket-access-keys', '--bucket-name', name, '--query', 'accessKeys[0]']);
  assert.equal(after.status, 'Inactive');
  const bad = await fx.cli.run([
    'update-bucket-access-key',
    '--bucket-name',
    name,
    '--access-key-id',
    id,
    '--status',
    'Disabled',
  ]);
  assert.equal(bad.code, 252);
  assert.match(bad.stderr, /--status \(status\): 'Disabled'\. Valid values are: Active, Inactive/);
  await fx.cli.json(['update-bucket-access-key', '--bucket-name', name, '--access-key-id', id, '--status', 'Active']);

  await fx.cli.json(['delete-bucket-access-key', '--bucket-name', name, '--access-key-id', id]);
  const missing = await fx.cli.run(['delete-bucket-access-key', '--bucket-name', name, '--access-key-id', id]);
  assert.equal(missing.code, 254);
  assert.match(
    missing.stderr,
    /An error occurred \(NotFoundException\) when calling the DeleteBucketAccessKey operation: /,
  );
  await fx.cli.json(['delete-bucket', '--bucket-name', name, '--force-delete']);
});

test('metric data (timestamps ISO and epoch, integer, enum list), regions, resource access, tags', async () => {
  const name = uniqueBucketName('misc');
  const created = await fx.cli.json(['create-bucket', '--bucket-name', name, '--bundle-id', 'small_1_0']);
  const end = Math.floor(Date.now() / 1000);
  const metrics = await fx.cli.json([
    'get-bucket-metric-data',
    '--bucket-name',
    name,
    '--metric-name',
    'NumberOfObjects',
    '--start-time',
    new Date((end - 3600) * 1000).toISOString(),
    '--end-time',
    String(end),
    '--period',
    '300',
    '--statistics',
    'Average',
    'Maximum',
    '--unit',
    'Count',
  ]);
  assert.equal(metrics.metricName, 'NumberOfObjects');
  assert.ok(Array.isArray(metrics.metricData));
  const badPeriod = await fx.cli.run([
    'get-bucket-metric-data',
    '--bucket-name',
    name,
    '--metric-name',
    'NumberOfObjects',
    '--start-time',
    'now',
    '--end-time',
    String(end),
    '--period',
    '5m',
    '--statistics',
    'Average',
    '--unit',
    'Count',
  ]);
  assert.equal(badPeriod.code, 252);
  assert.match(badPeriod.stderr, /--period: '5m' is not an integer/);

  const regions = await fx.cli.json(['get-regions', '--include-availability-zones']);
  assert.ok(regions.regions.some((r: { name: string }) => r.name === 'us-east-1'));

  const access = await fx.cli.run([
    'set-resource-access-for-bucket',
    '--resource-name',
    'my-instance',
    '--bucket-name',
    name,
    '--access',
    'allow',
  ]);
  assert.equal(access.code, 254);
  assert.match(
    access.stderr,
    /An error occurred \(NotFoundException\) when calling the SetResourceAccessForBucket operation: .*my-instance/,
  );

  await fx.cli.json(['tag-resource', '--resource-name', name, '--tags', 'key=a,value=1', 'key=b,value=2']);
  await fx.cli.json(['untag-resource', '--resource-name', name, '--tag-keys', 'a']);
  const tags = await fx.cli.json(['get-buckets', '--bucket-name', name, '--query', 'buckets[0].tags']);
  assert.deepEqual(tags, [{ key: 'b', value: '2' }]);

  const opId: string = created.operations[0].id;
  const op = await fx.cli.json(['get-operation', '--operation-id', opId]);
  assert.equal(op.operation.id, opId);
  const forResource = await fx.cli.json(['get-operations-for-resource', '--resource-name', name]);
  assert.ok(forResource.operations.some((o: { id: string }) => o.id === opId));
  await fx.cli.json(['delete-bucket', '--bucket-name', name, '--force-delete']);
});
