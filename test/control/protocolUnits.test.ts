/** Unit tests of the control plane's small pure parts: error mapping, bucket URLs, JSON input parsing. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../src/domain/errors.js';
import { createBucketUrlBuilder } from '../../src/control/bucketUrl.js';
import { parseJsonInput } from '../../src/control/body.js';
import { ControlPlaneError, fromDomainError, toControlPlaneError } from '../../src/control/errors.js';

describe('control plane units', () => {
  it('maps every DomainError code to its Lightsail exception', () => {
    const cases: [DomainError['code'], string][] = [
      ['InvalidInput', 'InvalidInputException'],
      ['Conflict', 'InvalidInputException'],
      ['PreconditionFailed', 'InvalidInputException'],
      ['NotFound', 'NotFoundException'],
      ['AccessDenied', 'AccessDeniedException'],
      ['Internal', 'ServiceException'],
    ];
    for (const [code, exception] of cases) {
      const e = fromDomainError(new DomainError(code, `problem with 'x' (${code})`));
      assert.equal(e.exception, exception);
      if (exception !== 'ServiceException') assert.equal(e.message, `problem with 'x' (${code})`);
      else assert.ok(!e.message.includes("'x'"), 'internal details are not sent');
    }
    assert.equal(new ControlPlaneError('ServiceException', 'x').status, 500);
    assert.equal(new ControlPlaneError('UnsupportedMediaTypeException', 'x').status, 415);
    assert.equal(new ControlPlaneError('NotFoundException', 'x').status, 400);
  });

  it('unexpected errors become ServiceException and are flagged for logging', () => {
    const boom = new Error('database is locked at /secret/path');
    const { error, internal } = toControlPlaneError(boom);
    assert.equal(error.exception, 'ServiceException');
    assert.equal(internal, boom);
    assert.ok(!error.message.includes('/secret/path'));
    assert.equal(toControlPlaneError(new DomainError('NotFound', 'gone')).internal, undefined);
  });

  it('bucket URLs are path-style unless the public host is the base domain', () => {
    assert.equal(
      createBucketUrlBuilder(() => 'http://127.0.0.1:9000', 'localhost')('photos'),
      'http://127.0.0.1:9000/photos/',
    );
    assert.equal(createBucketUrlBuilder(() => 'http://127.0.0.1:9000/')('photos'), 'http://127.0.0.1:9000/photos/');
    assert.equal(
      createBucketUrlBuilder(() => 'https://s3.example.test', 's3.example.test')('photos'),
      'https://photos.s3.example.test/',
    );
    assert.equal(createBucketUrlBuilder(() => 'http://localhost:8080', 'localhost')('b1'), 'http://b1.localhost:8080/');
  });

  it('parses JSON bodies: empty is {}, errors name the problem', () => {
    assert.deepEqual(parseJsonInput(Buffer.from('')), {});
    assert.deepEqual(parseJsonInput(Buffer.from('{"a":1}')), { a: 1 });
    assert.throws(
      () => parseJsonInput(Buffer.from('{"a":')),
      (e: ControlPlaneError) => e.exception === 'InvalidInputException' && /not valid JSON/.test(e.message),
    );
    assert.throws(() => parseJsonInput(Buffer.from('null')), /got null/);
    assert.throws(() => parseJsonInput(Buffer.from('[]')), /got an array/);
    assert.throws(() => parseJsonInput(Buffer.from('"s"')), /got string/);
  });
});
