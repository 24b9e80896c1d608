import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeOutput } from '../../src/model/index.js';

test('serializeOutput: timestamps (epoch ms or Date) become epoch seconds, fractions kept', () => {
  const out = serializeOutput('CreateBucketAccessKeyResult', {
    accessKey: { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 's'.repeat(40), status: 'Active', createdAt: 1_700_000_000_123 },
    operations: [{ id: 'op', createdAt: new Date(1_500), statusChangedAt: 2_000, isTerminal: true }],
  }) as { accessKey: { createdAt: number }; operations: { createdAt: number; statusChangedAt: number }[] };
  assert.equal(out.accessKey.createdAt, 1_700_000_000.123);
  assert.equal(out.operations[0].createdAt, 1.5);
  assert.equal(out.operations[0].statusChangedAt, 2);
  assert.equal(JSON.stringify(out.operations[0]), '{"id":"op","createdAt":1.5,"isTerminal":true,"statusChangedAt":2}');
});

test('serializeOutput: drops members not in the shape, and undefined or null members, at every depth', () => {
  const out = serializeOutput('GetBucketsResult', {
    buckets: [{
      name: 'abc', createdAt: 0, internalId: 'secret-row-id', accessRules: { getObject: 'private', allowPublicOverrides: false, x: 1 },
      tags: [{ key: 'a', value: '', extra: true }], cors: undefined, url: null,
      location: { availabilityZone: 'all', regionName: 'us-east-1' },
    }],
    accountLevelBpaSync: { status: 'InSync', bpaImpactsLightsail: false },
    sealedSecret: 'zzz',
  });
  assert.deepEqual(out, {
    buckets: [{
      accessRules: { getObject: 'private', allowPublicOverrides: false }, createdAt: 0,
      location: { availabilityZone: 'all', regionName: 'us-east-1' }, name: 'abc', tags: [{ key: 'a', value: '' }],
    }],
    accountLevelBpaSync: { status: 'InSync', bpaImpactsLightsail: false },
  });
});

test('serializeOutput: keeps numbers, booleans and empty lists as given', () => {
  const out = serializeOutput('GetBucketBundlesResult', {
    bundles: [{ bundleId: 'small_1_0', name: 'Object Storage 5GB', price: 1.0, storagePerMonthInGb: 5, transferPerMonthInGb: 25, isActive: true }],
  });
  assert.deepEqual(out, { bundles: [{ bundleId: 'small_1_0', name: 'Object Storage 5GB', price: 1, storagePerMonthInGb: 5, transferPerMonthInGb: 25, isActive: true }] });
  assert.deepEqual(serializeOutput('GetBucketAccessKeysResult', { accessKeys: [] }), { accessKeys: [] });
});

test('serializeOutput: a value of the wrong type throws, naming the path and value', () => {
  assert.throws(() => serializeOutput('GetBucketsResult', { buckets: [{ name: 5 }] }), /expected a string at 'GetBucketsResult\.buckets\[0\]\.name', got number 5/);
  assert.throws(() => serializeOutput('GetBucketsResult', { buckets: {} }), /expected an array at 'GetBucketsResult\.buckets'/);
  assert.throws(() => serializeOutput('GetOperationResult', { operation: { createdAt: '2024-01-01' } }), /expected a Date or epoch milliseconds at 'GetOperationResult\.operation\.createdAt'/);
  assert.throws(() => serializeOutput('GetOperationResult', { operation: { isTerminal: 'yes' } }), /expected a boolean/);
  assert.throws(() => serializeOutput('NoSuchShape', {}), /unknown shape 'NoSuchShape'/);
});
