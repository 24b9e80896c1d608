import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRange, contentRange } from '../../src/s3/handlers/object/range.js';
import {
  evaluateReadConditions,
  evaluateCopySourceConditions,
  etagMatches,
} from '../../src/s3/handlers/object/conditions.js';
import { parseCopySource, parseCopySourceRange } from '../../src/s3/handlers/object/copySource.js';
import { readWriteAttributes, parseTaggingHeader } from '../../src/s3/handlers/object/writeHeaders.js';
import { S3Error } from '../../src/s3/errors.js';

const reason = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof S3Error) return e.code;
    throw e;
  }
  return undefined;
};

test('Range: closed, open, suffix, clamped, ignored and unsatisfiable forms', () => {
  assert.deepEqual(resolveRange('bytes=0-9', 100), { kind: 'range', range: { start: 0, end: 9 } });
  assert.deepEqual(resolveRange('bytes=90-', 100), { kind: 'range', range: { start: 90, end: 99 } });
  assert.deepEqual(resolveRange('bytes=-10', 100), { kind: 'range', range: { start: 90, end: 99 } });
  assert.deepEqual(resolveRange('bytes=-1000', 100), { kind: 'range', range: { start: 0, end: 99 } });
  assert.deepEqual(resolveRange('bytes=50-5000', 100), { kind: 'range', range: { start: 50, end: 99 } });
  assert.deepEqual(resolveRange(undefined, 100), { kind: 'none' });
  assert.deepEqual(resolveRange('bytes=0-1,5-6', 100), { kind: 'none' });
  assert.deepEqual(resolveRange('items=0-1', 100), { kind: 'none' });
  assert.deepEqual(resolveRange('bytes=9-3', 100), { kind: 'none' });
  assert.deepEqual(resolveRange('bytes=abc', 100), { kind: 'none' });
  assert.equal(resolveRange('bytes=100-', 100).kind, 'unsatisfiable');
  assert.equal(resolveRange('bytes=-0', 100).kind, 'unsatisfiable');
  assert.equal(resolveRange('bytes=0-', 0).kind, 'unsatisfiable');
  assert.equal(contentRange({ start: 90, end: 99 }, 100), 'bytes 90-99/100');
});

test('conditions: S3 precedence of If-Match over If-Unmodified-Since and If-None-Match over If-Modified-Since', () => {
  const v = { etag: '"abc"', lastModified: Date.parse('2026-01-02T00:00:00.500Z') };
  const before = 'Thu, 01 Jan 2026 00:00:00 GMT';
  const same = 'Fri, 02 Jan 2026 00:00:00 GMT';
  const after = 'Sat, 03 Jan 2026 00:00:00 GMT';
  assert.deepEqual(evaluateReadConditions({}, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifMatch: '"abc"' }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifMatch: 'abc' }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifMatch: '"x", "abc"' }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifMatch: '"x"' }, v), { kind: 'failed', header: 'If-Match' });
  assert.deepEqual(evaluateReadConditions({ ifMatch: '"abc"', ifUnmodifiedSince: before }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifUnmodifiedSince: before }, v), {
    kind: 'failed',
    header: 'If-Unmodified-Since',
  });
  assert.deepEqual(evaluateReadConditions({ ifUnmodifiedSince: same }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifNoneMatch: '"abc"' }, v), { kind: 'notModified' });
  assert.deepEqual(evaluateReadConditions({ ifNoneMatch: '*' }, v), { kind: 'notModified' });
  assert.deepEqual(evaluateReadConditions({ ifNoneMatch: '"zzz"', ifModifiedSince: after }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifModifiedSince: same }, v), { kind: 'notModified' });
  assert.deepEqual(evaluateReadConditions({ ifModifiedSince: before }, v), { kind: 'ok' });
  assert.deepEqual(evaluateReadConditions({ ifModifiedSince: 'not a date' }, v), { kind: 'ok' });
  assert.deepEqual(evaluateCopySourceConditions({ ifNoneMatch: '"abc"' }, v), {
    kind: 'failed',
    header: 'x-amz-copy-source-if-none-match',
  });
  assert.deepEqual(evaluateCopySourceConditions({ ifMatch: '"abc"', ifUnmodifiedSince: before }, v), { kind: 'ok' });
  assert.equal(etagMatches('W/"abc"', '"abc"'), true);
});

test('x-amz-copy-source: leading slash, url-encoded keys, versionId, malformed values', () => {
  assert.deepEqual(parseCopySource('/b/k'), { bucket: 'b', key: 'k' });
  assert.deepEqual(parseCopySource('b/dir/sub/k.txt'), { bucket: 'b', key: 'dir/sub/k.txt' });
  assert.deepEqual(parseCopySource('b/a%252Fb'), { bucket: 'b', key: 'a%2Fb' });
  assert.deepEqual(parseCopySource('b/x%2F%2Fy'), { bucket: 'b', key: 'x//y' });
  assert.deepEqual(parseCopySource('b/caf%C3%A9%20menu%3F'), { bucket: 'b', key: 'café menu?' });
  assert.deepEqual(parseCopySource('b/k?versionId=v1'), { bucket: 'b', key: 'k', versionId: 'v1' });
  assert.deepEqual(parseCopySource('b/dir/'), { bucket: 'b', key: 'dir/' });
  assert.equal(
    reason(() => parseCopySource('bucketonly')),
    'InvalidArgument',
  );
  assert.equal(
    reason(() => parseCopySource('b/')),
    'InvalidArgument',
  );
  assert.equal(
    reason(() => parseCopySource('b/%E0%A4%A')),
    'InvalidArgument',
  );
  assert.equal(
    reason(() => parseCopySource(undefined)),
    'InvalidArgument',
  );
  assert.deepEqual(parseCopySourceRange('bytes=0-9', 10), { start: 0, end: 9 });
  assert.equal(parseCopySourceRange(undefined, 10), undefined);
  assert.equal(
    reason(() => parseCopySourceRange('bytes=0-10', 10)),
    'InvalidRange',
  );
  assert.equal(
    reason(() => parseCopySourceRange('bytes=5-', 10)),
    'InvalidArgument',
  );
});

test('write headers: content headers, metadata limit, storage class, ACL, tagging', () => {
  const a = readWriteAttributes({
    'content-type': 'text/plain',
    'cache-control': 'no-cache',
    'content-encoding': 'aws-chunked,gzip',
    'x-amz-meta-color': 'blue',
    'x-amz-storage-class': 'STANDARD',
    'x-amz-acl': 'public-read',
    'x-amz-tagging': 'a=1&b=two%20words',
    expires: 'Thu, 01 Jan 2030 00:00:00 GMT',
  });
  assert.deepEqual(a.content, {
    contentType: 'text/plain',
    cacheControl: 'no-cache',
    contentEncoding: 'gzip',
    expires: 'Thu, 01 Jan 2030 00:00:00 GMT',
  });
  assert.deepEqual(a.userMetadata, { color: 'blue' });
  assert.equal(a.acl, 'public-read');
  assert.deepEqual(a.tags, [
    { key: 'a', value: '1' },
    { key: 'b', value: 'two words' },
  ]);
  assert.equal(readWriteAttributes({ 'content-encoding': 'aws-chunked' }).content.contentEncoding, undefined);
  assert.deepEqual(readWriteAttributes({ 'x-amz-meta-a': '1', 'x-amz-meta-b-c': '' }).userMetadata, {
    a: '1',
    'b-c': '',
  });
  assert.equal(
    reason(() => readWriteAttributes({ 'x-amz-storage-class': 'GLACIER' })),
    'InvalidStorageClass',
  );
  assert.equal(
    reason(() => readWriteAttributes({ 'x-amz-acl': 'authenticated-read' })),
    'InvalidArgument',
  );
  assert.equal(
    reason(() => parseTaggingHeader('a=1&a=2')),
    'InvalidTag',
  );
  assert.equal(
    reason(() => parseTaggingHeader(Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'))),
    'BadRequest',
  );
});
