import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter, parseQuery, virtualHostBucket } from '../../src/s3/router.js';
import { S3Error } from '../../src/s3/errors.js';

const route = createRouter({ baseDomains: ['localhost', 's3.example.test'] });
const get = (url: string, host = '127.0.0.1:8080', method = 'GET', hasCopySource = false) =>
  route({ method, url, host, hasCopySource });

test('path-style keys are decoded exactly once and keep %2F, //, trailing /, dots, unicode, spaces', () => {
  const cases: [string, string][] = [
    ['/b/a%2Fb', 'a/b'],
    ['/b/a%252Fb', 'a%2Fb'],
    ['/b/x//y', 'x//y'],
    ['/b/dir/', 'dir/'],
    ['/b/./../a', './../a'],
    ['/b/%E2%9C%93%20caf%C3%A9', '\u2713 caf\u00e9'],
    ['/b/a+b', 'a+b'],
    ['/b//lead', '/lead'],
    ['/b/%20', ' '],
  ];
  for (const [url, key] of cases) {
    const e = get(url);
    assert.equal(e.bucket, 'b', url);
    assert.equal(e.key, key, url);
    assert.equal(e.addressing, 'path');
    assert.equal(e.operation, 'GetObject');
  }
});

test('virtual-hosted addressing takes the bucket from <bucket>.<base-domain>[:port]', () => {
  const e = get('/a%2Fb//c/', 'photos.localhost:9000');
  assert.equal(e.bucket, 'photos');
  assert.equal(e.key, 'a/b//c/');
  assert.equal(e.addressing, 'virtual');
  assert.equal(get('/', 'Photos.S3.Example.Test').bucket, 'photos');
  assert.equal(get('/', 'photos.localhost').operation, 'ListObjects');
  assert.equal(get('/?list-type=2', 'photos.localhost').operation, 'ListObjectsV2');
  // the base domain itself and other hosts are path-style
  assert.equal(get('/', 'localhost:8080').operation, 'ListBuckets');
  assert.equal(get('/b/k', 'example.org').bucket, 'b');
  assert.equal(virtualHostBucket('[::1]:80', ['localhost']), undefined);
  assert.equal(virtualHostBucket('xlocalhost', ['localhost']), undefined);
});

test('operations are named from method, scope and subresources', () => {
  const cases: [string, string, string, boolean?][] = [
    ['GET', '/', 'ListBuckets'],
    ['HEAD', '/b', 'HeadBucket'],
    ['GET', '/b?location', 'GetBucketLocation'],
    ['GET', '/b?versioning', 'GetBucketVersioning'],
    ['GET', '/b?cors', 'GetBucketCors'],
    ['GET', '/b?versions', 'ListObjectVersions'],
    ['GET', '/b?uploads', 'ListMultipartUploads'],
    ['GET', '/b?list-type=2&prefix=a', 'ListObjectsV2'],
    ['GET', '/b?prefix=a', 'ListObjects'],
    ['PUT', '/b', 'CreateBucket'],
    ['PUT', '/b/', 'CreateBucket'],
    ['PUT', '/b?versioning', 'PutBucketVersioning'],
    ['PUT', '/b?policy', 'PutBucketPolicy'],
    ['PUT', '/b?acl', 'PutBucketAcl'],
    ['DELETE', '/b', 'DeleteBucket'],
    ['DELETE', '/b?cors', 'DeleteBucketCors'],
    ['POST', '/b?delete', 'DeleteObjects'],
    ['POST', '/b', 'PostObject'],
    ['PUT', '/b/k', 'PutObject'],
    ['PUT', '/b/k', 'CopyObject', true],
    ['PUT', '/b/k?partNumber=1&uploadId=u', 'UploadPart'],
    ['PUT', '/b/k?partNumber=1&uploadId=u', 'UploadPartCopy', true],
    ['PUT', '/b/k?tagging', 'PutObjectTagging'],
    ['PUT', '/b/k?acl', 'PutObjectAcl'],
    ['GET', '/b/k?tagging', 'GetObjectTagging'],
    ['GET', '/b/k?acl', 'GetObjectAcl'],
    ['GET', '/b/k?attributes', 'GetObjectAttributes'],
    ['GET', '/b/k?uploadId=u', 'ListParts'],
    ['GET', '/b/k?versionId=v', 'GetObject'],
    ['HEAD', '/b/k', 'HeadObject'],
    ['DELETE', '/b/k', 'DeleteObject'],
    ['DELETE', '/b/k?tagging', 'DeleteObjectTagging'],
    ['DELETE', '/b/k?uploadId=u', 'AbortMultipartUpload'],
    ['POST', '/b/k?uploads', 'CreateMultipartUpload'],
    ['POST', '/b/k?uploadId=u', 'CompleteMultipartUpload'],
  ];
  for (const [method, url, op, copy] of cases)
    assert.equal(get(url, undefined, method, copy).operation, op, `${method} ${url}`);
});

test('unknown methods and subresources are refused with the S3 error', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof S3Error);
      return e.code;
    }
    return 'none';
  };
  assert.equal(
    code(() => get('/', undefined, 'PUT')),
    'MethodNotAllowed',
  );
  assert.equal(
    code(() => get('/b/k', undefined, 'PATCH')),
    'MethodNotAllowed',
  );
  assert.equal(
    code(() => get('/b/k', undefined, 'POST')),
    'MethodNotAllowed',
  );
  assert.equal(
    code(() => get('/b?analytics', undefined, 'GET')),
    'NotImplemented',
  );
  assert.equal(
    code(() => get('/b/%E0%A4%A')),
    'InvalidURI',
  );
  assert.equal(
    code(() => get('/b/%FF')),
    'InvalidURI',
  );
});

test('query parameters are form-decoded once; first value wins; bare names map to empty', () => {
  const q = parseQuery('prefix=a%2Bb+c&delimiter=%2F&uploads&prefix=second&x=%252F');
  assert.equal(q.get('prefix'), 'a+b c');
  assert.equal(q.get('delimiter'), '/');
  assert.equal(q.get('uploads'), '');
  assert.equal(q.get('x'), '%2F');
  assert.equal(parseQuery('').size, 0);
});

test('OPTIONS on a bucket or an object is the CORS preflight', () => {
  assert.equal(get('/b', undefined, 'OPTIONS').operation, 'OptionsObject');
  assert.equal(get('/b/k', undefined, 'OPTIONS').operation, 'OptionsObject');
});
