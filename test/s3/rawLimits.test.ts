/**
 * What SDKs refuse to send: declared lengths past the limits (refused before the body is read),
 * missing Content-Length, bad part numbers; and the wire details of 304 and HEAD errors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { signRequest, sendRaw, errorCode } from './rawSigner.js';

let fx: DataPlaneFixture;
let host: string;
before(async () => {
  fx = await startDataPlane();
  host = new URL(fx.server.endpoint).host;
});
after(async () => {
  await fx?.close();
});

const signed = (method: string, path: string, query: string | undefined, headers: Record<string, string>) =>
  signRequest({ method, path, query, creds: fx.key, payloadHash: 'UNSIGNED-PAYLOAD', headers: { host, ...headers } })
    .headers;

test('a PutObject declaring more than 5 GiB is refused with EntityTooLarge before the body is sent', async () => {
  const path = `/${fx.bucket}/huge`;
  const size = String(5 * 1024 ** 3 + 1);
  const r = await sendRaw(fx.server.endpoint, {
    method: 'PUT',
    path,
    headers: { ...signed('PUT', path, undefined, {}), 'content-length': size, expect: '100-continue' },
    body: [],
  });
  assert.equal(r.status, 400, r.body.toString());
  assert.equal(errorCode(r.body), 'EntityTooLarge');
});

test('UploadPart: a part over 5 GiB is EntityTooLarge, part numbers outside 1..10000 are InvalidArgument', async () => {
  const key = 'mp/limits';
  const { UploadId } = await fx.s3.send(new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: key }));
  const path = `/${fx.bucket}/${key}`;
  const q1 = `partNumber=1&uploadId=${UploadId}`;
  const big = await sendRaw(fx.server.endpoint, {
    method: 'PUT',
    path,
    query: q1,
    headers: { ...signed('PUT', path, q1, {}), 'content-length': String(5 * 1024 ** 3 + 1), expect: '100-continue' },
    body: [],
  });
  assert.equal(errorCode(big.body), 'EntityTooLarge');
  for (const n of ['0', '10001', 'x']) {
    const q = `partNumber=${n}&uploadId=${UploadId}`;
    const r = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path,
      query: q,
      headers: { ...signed('PUT', path, q, {}), 'content-length': '1' },
      body: [Buffer.from('x')],
    });
    assert.equal(r.status, 400, `partNumber=${n}`);
    assert.equal(errorCode(r.body), 'InvalidArgument', `partNumber=${n}`);
  }
  const q2 = 'partNumber=1&uploadId=nosuchupload';
  const missing = await sendRaw(fx.server.endpoint, {
    method: 'PUT',
    path,
    query: q2,
    headers: { ...signed('PUT', path, q2, {}), 'content-length': '1' },
    body: [Buffer.from('x')],
  });
  assert.equal(missing.status, 404);
  assert.equal(errorCode(missing.body), 'NoSuchUpload');
});

test('a 304 carries ETag and Last-Modified and no body; a HEAD error has no body', async () => {
  const put = await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'cond', Body: 'c' }));
  const path = `/${fx.bucket}/cond`;
  const r = await sendRaw(fx.server.endpoint, {
    method: 'GET',
    path,
    headers: signed('GET', path, undefined, { 'if-none-match': put.ETag! }),
  });
  assert.equal(r.status, 304);
  assert.equal(r.headers.etag, put.ETag);
  assert.ok(r.headers['last-modified']);
  assert.equal(r.body.length, 0);
  const missing = `/${fx.bucket}/missing`;
  const h = await sendRaw(fx.server.endpoint, {
    method: 'HEAD',
    path: missing,
    headers: signed('HEAD', missing, undefined, {}),
  });
  assert.equal(h.status, 404);
  assert.equal(h.body.length, 0);
  assert.ok(h.headers['x-amz-request-id']);
  const bad = await sendRaw(fx.server.endpoint, {
    method: 'GET',
    path,
    headers: signed('GET', path, undefined, { range: 'bytes=5-' }),
  });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers['content-range'], 'bytes */1');
  assert.equal(errorCode(bad.body), 'InvalidRange');
});
