import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findOperation, getOperation, getShape, listOperations, operationsByTarget, parseServiceModel, structureMembers, lightsailModel,
} from '../../src/model/index.js';
import { OPERATIONS, ERROR_HTTP_STATUS, NotFoundException, ServiceException, createLightsailError, LightsailServiceError } from '../../src/generated/lightsail.js';

test('accessors: operations by name and by X-Amz-Target', () => {
  const op = getOperation('CreateBucketAccessKey');
  assert.equal(op.target, 'Lightsail_20161128.CreateBucketAccessKey');
  assert.equal(op.input, 'CreateBucketAccessKeyRequest');
  const byTarget = operationsByTarget();
  assert.equal(byTarget.size, 24);
  assert.equal(byTarget.get('SailbucketAdmin_20261129.CreateAccount')?.name, 'CreateAccount');
  assert.equal(byTarget.get('SailbucketAdmin_20261129.UpdateBucketAccessKey')?.name, 'UpdateBucketAccessKey');
  assert.equal(byTarget.get('Lightsail_20161128.UpdateBucketAccessKey'), undefined);
  assert.equal(byTarget.get('Lightsail_20161128.GetOperations')?.paginator?.resultKey, 'operations');
  assert.equal(findOperation('toString'), undefined);
  assert.throws(() => getOperation('Nope'), /unknown operation 'Nope'/);
  assert.equal(listOperations().length, 24);
});

test('accessors: shapes and structure members', () => {
  assert.equal(getShape('BucketName').max, 54);
  assert.throws(() => getShape('constructor'), /unknown shape 'constructor'/);
  assert.deepEqual(structureMembers('DeleteBucketAccessKeyRequest').map((m) => [m.name, m.required]), [['bucketName', true], ['accessKeyId', true]]);
  assert.throws(() => structureMembers('BucketName'), /is a string, not a structure/);
});

test('generated table agrees with the model and errors carry their wire facts', () => {
  for (const op of listOperations()) {
    const row = OPERATIONS[op.name as keyof typeof OPERATIONS];
    assert.equal(row.target, op.target);
    assert.deepEqual(row.errors, op.errors);
  }
  const e = new NotFoundException("Bucket 'photos' does not exist in us-east-1");
  assert.ok(e instanceof LightsailServiceError && e instanceof Error);
  assert.equal(e.name, 'NotFoundException');
  assert.equal(e.code, 'NotFoundException');
  assert.equal(e.httpStatus, 400);
  assert.equal(new ServiceException('boom').httpStatus, 500);
  assert.equal(ERROR_HTTP_STATUS.InvalidInputException, 400);
  const made = createLightsailError('InvalidInputException', 'bad', { tip: 't' });
  assert.equal(made.name, 'InvalidInputException');
  assert.equal(made.tip, 't');
});

test('parseServiceModel: accepts ours and names every broken reference', () => {
  assert.equal(parseServiceModel(structuredClone(lightsailModel)).metadata.targetPrefix, 'Lightsail_20161128');
  const broken = structuredClone(lightsailModel) as unknown as { operations: Record<string, { input: string; errors: string[] }>; shapes: Record<string, { members?: Record<string, { shape: string; documentation: string }>; required?: string[] }> };
  broken.operations['GetBuckets'].input = 'Missing';
  broken.operations['GetRegions'].errors.push('BucketName');
  broken.shapes['Tag'].members!['key'].shape = 'Gone';
  broken.shapes['Tag'].members!['value'].documentation = '';
  broken.shapes['Tag'].required = ['nope'];
  assert.throws(() => parseServiceModel(broken, 'x.json'), (err: Error) => {
    for (const needle of ["'GetBuckets' input refers to unknown shape 'Missing'", "lists error 'BucketName'", "'Tag.key' refers to unknown shape 'Gone'", "'Tag.value' has no documentation", "requires 'nope'"]) {
      assert.ok(err.message.includes(needle), `missing "${needle}" in ${err.message}`);
    }
    return true;
  });
  assert.throws(() => parseServiceModel([]), /expected an object with metadata, operations and shapes/);
});
