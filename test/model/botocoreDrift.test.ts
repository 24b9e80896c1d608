// Our model's facts must equal botocore's Lightsail model on this machine (extension entries exempt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lightsailModel } from '../../src/generated/model.js';
import { botocoreFacts, diffFacts, ourFacts } from './botocoreFacts.js';

const EXPECTED_OPERATIONS = [
  'CreateBucket', 'GetBuckets', 'UpdateBucket', 'DeleteBucket', 'UpdateBucketBundle', 'GetBucketBundles',
  'GetBucketMetricData', 'CreateBucketAccessKey', 'GetBucketAccessKeys', 'DeleteBucketAccessKey',
  'SetResourceAccessForBucket', 'GetOperation', 'GetOperations', 'GetOperationsForResource', 'GetRegions',
  'TagResource', 'UntagResource',
];

test('botocore drift: every fact of the model matches botocore', { timeout: 90_000 }, () => {
  const ours = ourFacts(lightsailModel);
  const theirs = botocoreFacts(Object.keys(ours.operations));
  // botocore must know every operation we claim is a Lightsail one.
  assert.deepEqual(Object.keys(theirs.operations).sort(), Object.keys(ours.operations).sort(), 'operations unknown to botocore');
  const diffs = diffFacts(ours, theirs);
  assert.deepEqual(diffs, [], `model/lightsail.json differs from botocore:\n  ${diffs.join('\n  ')}`);
});

test('botocore drift: the model holds exactly the operations the spec lists, plus the extension', () => {
  const nonExtension = Object.entries(lightsailModel.operations).filter(([, op]) => !op.extension).map(([n]) => n);
  assert.deepEqual([...nonExtension].sort(), [...EXPECTED_OPERATIONS].sort());
  const ext = lightsailModel.operations['UpdateBucketAccessKey'];
  assert.ok(ext, 'UpdateBucketAccessKey missing');
  assert.equal(ext.extension, true);
  assert.equal(ext.targetPrefix, 'SailbucketAdmin_20261129');
  const input = lightsailModel.shapes[ext.input];
  assert.deepEqual(input.required, ['bucketName', 'accessKeyId', 'status']);
  assert.deepEqual(lightsailModel.shapes[input.members!['status'].shape].enum, ['Active', 'Inactive']);
  assert.deepEqual(Object.keys(lightsailModel.shapes[ext.output].members!), ['operations']);
});

test('botocore drift: every exception has code, docs, message, tip and its HTTP status', () => {
  const errors = Object.entries(lightsailModel.shapes).filter(([, s]) => s.exception);
  assert.equal(errors.length, 8);
  for (const [name, shape] of errors) {
    assert.deepEqual(Object.keys(shape.members ?? {}).sort(), ['code', 'docs', 'message', 'tip'], name);
    assert.equal(shape.httpStatus, name === 'ServiceException' ? 500 : 400, name);
  }
});

test('botocore drift: diffFacts reports a changed fact (the comparison can fail)', () => {
  const ours = ourFacts(lightsailModel);
  const changed = structuredClone(ours);
  changed.shapes['BucketName'].max = 63;
  delete changed.shapes['Bucket'].members!['arn'];
  changed.operations['GetBuckets'].errors.pop();
  const diffs = diffFacts(changed, ours);
  assert.equal(diffs.length, 3, diffs.join('\n'));
  assert.match(diffs.join('\n'), /BucketName\.max: ours 63/);
});
