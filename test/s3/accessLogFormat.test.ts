/**
 * The server access-log record format (src/s3/accessLog): field order, `-` for what is missing,
 * escaping (quotes, backslashes, spaces, control characters), the time stamp, key encoding, the
 * operation names and the removal of presigned credentials from the request URI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAccessLogLine, logTime, type AccessLogEntry } from '../../src/s3/accessLog/format.js';
import { logOperation } from '../../src/s3/accessLog/operations.js';
import { redactedTarget } from '../../src/s3/accessLog/record.js';

const minimal: AccessLogEntry = {
  bucketOwner: 'a'.repeat(64),
  bucket: 'my-bucket',
  time: Date.UTC(2019, 1, 6, 0, 0, 38),
  requestId: '3E57427F3EXAMPLE',
  operation: 'REST.GET.VERSIONING',
  requestUri: 'GET /my-bucket?versioning HTTP/1.1',
  status: 200,
  bytesSent: 113,
  totalTimeMs: 7,
};

test('a record with only the required facts: every other field is -', () => {
  assert.equal(
    formatAccessLogLine(minimal),
    `${'a'.repeat(64)} my-bucket [06/Feb/2019:00:00:38 +0000] - - 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /my-bucket?versioning HTTP/1.1" 200 - 113 - 7 - "-" "-" - - - - - - - - -`,
  );
});

test('every field in the documented order', () => {
  const line = formatAccessLogLine({
    ...minimal,
    remoteIp: '192.0.2.3',
    requester: 'b'.repeat(64),
    operation: 'REST.GET.OBJECT',
    key: 'photos/a b+c?.jpg',
    requestUri: 'GET /my-bucket/photos/a%20b%2Bc%3F.jpg HTTP/1.1',
    status: 206,
    errorCode: undefined,
    bytesSent: 10,
    objectSize: 1000,
    totalTimeMs: 12.6,
    turnAroundTimeMs: 3.2,
    referer: 'https://example.test/',
    userAgent: 'aws-sdk-js/3 ua/2.1',
    versionId: '3HL4kqtJvjVBH40Nrjfkd',
    hostId: 'c2FpbGJ1Y2tldA==',
    signatureVersion: 'SigV4',
    cipherSuite: 'TLS_AES_256_GCM_SHA384',
    authType: 'AuthHeader',
    hostHeader: 'my-bucket.s3.example.test',
    tlsVersion: 'TLSv1.3',
  });
  assert.equal(
    line,
    `${'a'.repeat(64)} my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${'b'.repeat(64)} 3E57427F3EXAMPLE REST.GET.OBJECT photos/a%20b%2Bc%3F.jpg "GET /my-bucket/photos/a%20b%2Bc%3F.jpg HTTP/1.1" 206 - 10 1000 13 3 "https://example.test/" "aws-sdk-js/3 ua/2.1" 3HL4kqtJvjVBH40Nrjfkd c2FpbGJ1Y2tldA== SigV4 TLS_AES_256_GCM_SHA384 AuthHeader my-bucket.s3.example.test TLSv1.3 - -`,
  );
});

test('quotes and backslashes are escaped in quoted fields; spaces and control characters never split a record', () => {
  const line = formatAccessLogLine({
    ...minimal,
    userAgent: 'evil" "agent\\x',
    referer: 'line\nbreak',
    errorCode: 'Bad Code',
    hostHeader: 'host\twith tab',
    key: 'k\u0001ey',
  });
  assert.ok(!line.includes('\n'), 'one line');
  assert.match(line, / "evil\\" \\"agent\\\\x" /);
  assert.match(line, / "line\\x0abreak" /);
  assert.match(line, / Bad\\x20Code /);
  assert.match(line, / host\\x09with\\x20tab /);
  assert.match(line, / k%01ey /);
  // Still 26 fields once the quoted ones are taken out.
  const unquoted = line.replace(/"(?:[^"\\]|\\.)*"/g, 'Q').replace(/\[[^\]]*\]/, 'T');
  assert.equal(unquoted.split(' ').length, 26);
});

test('bytes sent of 0 is -, object size 0 is 0, empty strings are -', () => {
  const line = formatAccessLogLine({ ...minimal, bytesSent: 0, objectSize: 0, userAgent: '', key: '' });
  assert.match(line, /" 200 - - 0 7 - "-" "-" /);
});

test('time stamps are UTC with the month name', () => {
  assert.equal(logTime(Date.UTC(2026, 11, 4, 3, 5, 9)), '[04/Dec/2026:03:05:09 +0000]');
  assert.equal(logTime(Date.UTC(2020, 0, 31, 23, 59, 59, 999)), '[31/Jan/2020:23:59:59 +0000]');
});

test('operation names as S3 logs them', () => {
  assert.equal(logOperation('GetObject', 'GET'), 'REST.GET.OBJECT');
  assert.equal(logOperation('PutObject', 'PUT'), 'REST.PUT.OBJECT');
  assert.equal(logOperation('HeadObject', 'HEAD'), 'REST.HEAD.OBJECT');
  assert.equal(logOperation('ListObjects', 'GET'), 'REST.GET.BUCKET');
  assert.equal(logOperation('ListObjectVersions', 'GET'), 'REST.GET.BUCKETVERSIONS');
  assert.equal(logOperation('DeleteObjects', 'POST'), 'REST.POST.MULTI_OBJECT_DELETE');
  assert.equal(logOperation('CreateMultipartUpload', 'POST'), 'REST.POST.UPLOADS');
  assert.equal(logOperation('UploadPart', 'PUT'), 'REST.PUT.PART');
  assert.equal(logOperation('CompleteMultipartUpload', 'POST'), 'REST.POST.UPLOAD');
  assert.equal(logOperation('GetBucketVersioning', 'GET'), 'REST.GET.VERSIONING');
  assert.equal(logOperation(undefined, 'patch'), 'REST.PATCH.UNKNOWN');
});

test('presigned credentials and signatures never reach the request URI', () => {
  assert.equal(
    redactedTarget(
      '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=300&X-Amz-Security-Token=tok&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123&x-id=GetObject',
    ),
    '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&x-id=GetObject',
  );
  assert.equal(redactedTarget('/b/k?AWSAccessKeyId=AKIA&Expires=1&Signature=c2ln'), '/b/k?Expires=1');
  assert.equal(redactedTarget('/b/k?x-amz-signature=abc'), '/b/k', 'names match in any case');
  assert.equal(redactedTarget('/b/k?X%2DAmz%2DSignature=abc&versionId=v'), '/b/k?versionId=v', 'and encoded');
  assert.equal(redactedTarget('/b/k?versioning'), '/b/k?versioning');
  assert.equal(redactedTarget('/b/k'), '/b/k');
});
