import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, notFound } from '../../src/domain/errors.js';
import { SigV4Error } from '../../src/sigv4/errors.js';
import { mapToS3Error, S3_ERRORS, S3Error } from '../../src/s3/errors.js';

test('catalog statuses are what S3 sends', () => {
  const expect: Record<string, number> = {
    AccessDenied: 403,
    InvalidAccessKeyId: 403,
    SignatureDoesNotMatch: 403,
    RequestTimeTooSkewed: 403,
    NoSuchBucket: 404,
    NoSuchKey: 404,
    NoSuchUpload: 404,
    BucketNotEmpty: 409,
    BucketAlreadyExists: 409,
    InvalidRange: 416,
    PreconditionFailed: 412,
    NotModified: 304,
    MethodNotAllowed: 405,
    MissingContentLength: 411,
    NotImplemented: 501,
    InternalError: 500,
    EntityTooLarge: 400,
  };
  for (const [code, status] of Object.entries(expect))
    assert.equal(S3_ERRORS[code as keyof typeof S3_ERRORS].status, status, code);
});

test('DomainErrors map by reason first, then by code and resource', () => {
  assert.equal(
    mapToS3Error(new DomainError('InvalidInput', 'too long', { reason: 'key_too_long' })).code,
    'KeyTooLongError',
  );
  assert.equal(mapToS3Error(new DomainError('NotFound', 'x', { reason: 'no_such_version' })).code, 'NoSuchVersion');
  assert.equal(mapToS3Error(notFound('Bucket', "Bucket 'b' does not exist")).code, 'NoSuchBucket');
  assert.equal(mapToS3Error(notFound('Upload', 'u')).code, 'NoSuchUpload');
  assert.equal(mapToS3Error(notFound('Object', 'k')).code, 'NoSuchKey');
  assert.equal(mapToS3Error(new DomainError('InvalidInput', 'bad value 7')).code, 'InvalidArgument');
  assert.equal(mapToS3Error(new DomainError('PreconditionFailed', 'etag differs')).status, 412);
  // a reason that is not an S3 code falls back to the domain code, keeping the message
  const e = mapToS3Error(new DomainError('InvalidInput', "bundle 'x' unknown", { reason: 'invalid_bundle' }));
  assert.equal(e.code, 'InvalidArgument');
  assert.equal(e.message, "bundle 'x' unknown");
});

test('SigV4Errors map through the sigv4 table, with S3 extras', () => {
  const mismatch = mapToS3Error(
    new SigV4Error('SignatureMismatch', 'no match', { stringToSign: 'STS', canonicalRequest: 'CR' }),
  );
  assert.equal(mismatch.code, 'SignatureDoesNotMatch');
  assert.deepEqual(mismatch.fields, { StringToSign: 'STS', CanonicalRequest: 'CR' });
  assert.equal(mapToS3Error(new SigV4Error('RequestExpired', 'Request has expired')).code, 'AccessDenied');
  assert.equal(mapToS3Error(new SigV4Error('PayloadHashMismatch', 'x')).code, 'XAmzContentSHA256Mismatch');
  assert.equal(
    mapToS3Error(new SigV4Error('ScopeMismatch', 'x', { authKind: 'query' })).code,
    'AuthorizationQueryParametersError',
  );
  assert.equal(mapToS3Error(new SigV4Error('InvalidTrailer', 'x')).code, 'MalformedTrailerError');
  assert.equal(mapToS3Error(new SigV4Error('RequestTimeTooSkewed', 'x')).fields.MaxAllowedSkewMilliseconds, '900000');
});

test('anything else is an InternalError with no detail', () => {
  const e = mapToS3Error(new TypeError('secret internals'));
  assert.ok(e instanceof S3Error);
  assert.equal(e.code, 'InternalError');
  assert.ok(!e.message.includes('secret'));
});
