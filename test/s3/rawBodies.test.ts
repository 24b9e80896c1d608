/**
 * Hand-built request bodies that SDKs never send: each one is refused with S3's error and stores
 * NOTHING (the previous version stays readable, the new key does not appear, no blob file is left).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PutObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { startDataPlane, bodyBytes, type DataPlaneFixture } from './clientsHarness.js';
import { signRequest, signedChunks, unsignedTrailerBody, sendRaw, errorCode, EMPTY_SHA256 } from './rawSigner.js';
import { countBlobFiles } from './rawBlobFiles.js';

let fx: DataPlaneFixture;
let host: string;
const PREVIOUS = 'the previous version';
before(async () => {
  fx = await startDataPlane();
  host = new URL(fx.server.endpoint).host;
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'victim', Body: PREVIOUS }));
});
after(async () => {
  await fx?.close();
});

const b64 = (b: Buffer) => b.toString('base64');
const crc32b64 = (b: Buffer) => {
  const x = Buffer.alloc(4);
  x.writeUInt32BE(crc32(b));
  return b64(x);
};

async function expectNothingStored(newKey: string, blobsBefore: number): Promise<void> {
  const prev = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'victim' }));
  assert.equal((await bodyBytes(prev.Body)).toString(), PREVIOUS, 'the previous version is still readable');
  await assert.rejects(
    fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: newKey })),
    (e: { name?: string }) => e.name === 'NotFound',
  );
  const deadline = Date.now() + 3000;
  let now = countBlobFiles(fx.server.dataDir);
  while (now !== blobsBefore && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    now = countBlobFiles(fx.server.dataDir);
  }
  assert.equal(now, blobsBefore, 'no blob or temp file is left behind');
}

/**
 * Waits until the server has finished with the PUT the client cut off: its access-log line, or the
 * `client aborted` line it logs when the connection closed mid-body (written when the handler is done).
 */
async function serverDoneWithPut(from: number): Promise<void> {
  await fx.server.waitForStderrLine(
    (l) =>
      (l.includes('"msg":"request"') && l.includes('"method":"PUT"')) ||
      (l.includes('"msg":"client aborted"') && l.includes('"operation":"PutObject"')),
    from,
  );
}

/** Sends a signed aws-chunked PUT to `key` with the frames given (possibly tampered). */
function streamingPut(key: string, decodedLength: number, frame: (chunks: Buffer[]) => Buffer[], chunks: Buffer[]) {
  const path = `/${fx.bucket}/${key}`;
  const signed = signRequest({
    method: 'PUT',
    path,
    creds: fx.key,
    payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    headers: { host, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decodedLength) },
  });
  const { frames } = signedChunks(signed, chunks);
  const body = frame(frames);
  const total = body.reduce((n, b) => n + b.length, 0);
  return sendRaw(fx.server.endpoint, {
    method: 'PUT',
    path,
    headers: { ...signed.headers, 'content-length': String(total) },
    body,
  });
}

const THREE = [randomBytes(8192), randomBytes(8192), randomBytes(100)];
const LEN = THREE.reduce((n, b) => n + b.length, 0);

test('a well-formed signed aws-chunked body is accepted (control case)', async () => {
  const r = await streamingPut('good-chunked', LEN, (f) => f, THREE);
  assert.equal(r.status, 200, r.body.toString());
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'good-chunked' }));
  assert.deepEqual(await bodyBytes(got.Body), Buffer.concat(THREE));
  assert.equal(got.ContentType, 'binary/octet-stream', 'S3 default Content-Type for an object stored without one');
  assert.equal(got.ContentEncoding, undefined, 'aws-chunked is not stored as Content-Encoding');
  assert.equal(r.headers.etag, `"${createHash('md5').update(Buffer.concat(THREE)).digest('hex')}"`);
});

for (const target of ['victim', 'fresh']) {
  test(`broken chunk framing on ${target}: refused, nothing stored`, async () => {
    const before = countBlobFiles(fx.server.dataDir);
    const r = await streamingPut(
      `${target === 'victim' ? 'victim' : 'fresh-framing'}`,
      LEN,
      (f) => {
        const second = Buffer.from(f[1]);
        second.write('zz', 0); // the chunk-size line is no longer hex
        return [f[0], second, f[2], f[3]];
      },
      THREE,
    );
    assert.equal(r.status, 400, r.body.toString());
    assert.equal(errorCode(r.body), 'IncompleteBody');
    await expectNothingStored('fresh-framing', before);
  });

  test(`a bad chunk signature mid-stream on ${target}: SignatureDoesNotMatch, nothing stored`, async () => {
    const before = countBlobFiles(fx.server.dataDir);
    const r = await streamingPut(
      `${target === 'victim' ? 'victim' : 'fresh-chunksig'}`,
      LEN,
      (f) => {
        const second = Buffer.from(f[1]);
        const at = second.indexOf('chunk-signature=') + 'chunk-signature='.length;
        second.write(second[at] === 0x30 ? '1' : '0', at);
        return [f[0], second, f[2], f[3]];
      },
      THREE,
    );
    assert.equal(r.status, 403, r.body.toString());
    assert.equal(errorCode(r.body), 'SignatureDoesNotMatch');
    await expectNothingStored('fresh-chunksig', before);
  });

  test(`a decoded length that lies on ${target}: IncompleteBody, nothing stored`, async () => {
    for (const lie of [LEN + 5, LEN - 5]) {
      const before = countBlobFiles(fx.server.dataDir);
      const r = await streamingPut(`${target === 'victim' ? 'victim' : 'fresh-length'}`, lie, (f) => f, THREE);
      assert.equal(r.status, 400, `decoded length ${lie}: ${r.body.toString()}`);
      assert.equal(errorCode(r.body), 'IncompleteBody');
      await expectNothingStored('fresh-length', before);
    }
  });

  test(`a wrong trailer checksum on ${target}: BadDigest, nothing stored`, async () => {
    const before = countBlobFiles(fx.server.dataDir);
    const key = target === 'victim' ? 'victim' : 'fresh-trailer';
    const path = `/${fx.bucket}/${key}`;
    const data = randomBytes(20_000);
    const body = unsignedTrailerBody(
      [data.subarray(0, 10_000), data.subarray(10_000)],
      'x-amz-checksum-crc32',
      crc32b64(Buffer.from('other')),
    );
    const signed = signRequest({
      method: 'PUT',
      path,
      creds: fx.key,
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: {
        host,
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    const r = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path,
      headers: { ...signed.headers, 'content-length': String(body.length) },
      body: [body],
    });
    assert.equal(r.status, 400, r.body.toString());
    assert.equal(errorCode(r.body), 'BadDigest');
    await expectNothingStored('fresh-trailer', before);
  });

  test(`a wrong Content-MD5 and a wrong x-amz-content-sha256 on ${target}: refused, nothing stored`, async () => {
    const key = target === 'victim' ? 'victim' : 'fresh-md5';
    const path = `/${fx.bucket}/${key}`;
    const data = Buffer.from('some new content');
    let before = countBlobFiles(fx.server.dataDir);
    const wrongMd5 = b64(createHash('md5').update('different').digest());
    const s1 = signRequest({
      method: 'PUT',
      path,
      creds: fx.key,
      payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { host, 'content-md5': wrongMd5 },
    });
    const r1 = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path,
      headers: { ...s1.headers, 'content-length': String(data.length) },
      body: [data],
    });
    assert.equal(r1.status, 400, r1.body.toString());
    assert.equal(errorCode(r1.body), 'BadDigest');
    await expectNothingStored('fresh-md5', before);
    before = countBlobFiles(fx.server.dataDir);
    const s2 = signRequest({ method: 'PUT', path, creds: fx.key, payloadHash: EMPTY_SHA256, headers: { host } });
    const r2 = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path,
      headers: { ...s2.headers, 'content-length': String(data.length) },
      body: [data],
    });
    assert.equal(r2.status, 400, r2.body.toString());
    assert.equal(errorCode(r2.body), 'XAmzContentSHA256Mismatch');
    await expectNothingStored('fresh-md5', before);
  });

  test(`a truncated body (client destroys the socket mid-body) on ${target}: nothing stored`, async () => {
    const before = countBlobFiles(fx.server.dataDir);
    const key = target === 'victim' ? 'victim' : 'fresh-truncated';
    const path = `/${fx.bucket}/${key}`;
    const data = randomBytes(200_000);
    const s = signRequest({ method: 'PUT', path, creds: fx.key, payloadHash: 'UNSIGNED-PAYLOAD', headers: { host } });
    const from = fx.server.stderr().length;
    const r = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path,
      headers: { ...s.headers, 'content-length': String(data.length) },
      body: [data],
      destroyAfter: 80_000,
    });
    assert.notEqual(r.status, 200);
    await serverDoneWithPut(from);
    await expectNothingStored('fresh-truncated', before);
  });

  test(`a truncated small body (read whole, not streamed) on ${target}: nothing stored, the server answers the next request`, async () => {
    const before = countBlobFiles(fx.server.dataDir);
    const key = target === 'victim' ? 'victim' : 'fresh-truncated-small';
    const path = `/${fx.bucket}/${key}`;
    const data = randomBytes(40_000);
    const s = signRequest({ method: 'PUT', path, creds: fx.key, payloadHash: 'UNSIGNED-PAYLOAD', headers: { host } });
    const from = fx.server.stderr().length;
    const r = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path,
      headers: { ...s.headers, 'content-length': String(data.length) },
      body: [data],
      destroyAfter: 10_000,
    });
    assert.notEqual(r.status, 200);
    await serverDoneWithPut(from);
    await expectNothingStored('fresh-truncated-small', before);
    const ok = Buffer.from('after the truncated one');
    const s2 = signRequest({
      method: 'PUT',
      path: `/${fx.bucket}/after-truncated-small`,
      creds: fx.key,
      payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { host },
    });
    const r2 = await sendRaw(fx.server.endpoint, {
      method: 'PUT',
      path: `/${fx.bucket}/after-truncated-small`,
      headers: { ...s2.headers, 'content-length': String(ok.length) },
      body: [ok],
    });
    assert.equal(r2.status, 200, r2.body.toString());
  });
}

test('a small aws-chunked body in many chunks (more framing than is read whole) streams and is stored exactly', async () => {
  const chunks = Array.from({ length: 300 }, () => randomBytes(200));
  const r = await streamingPut('many-chunks', 60_000, (f) => f, chunks);
  assert.equal(r.status, 200, r.body.toString());
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'many-chunks' }));
  assert.deepEqual(await bodyBytes(got.Body), Buffer.concat(chunks));
});

test('a truncated small aws-chunked body (read whole): nothing stored, the server answers the next request', async () => {
  const before = countBlobFiles(fx.server.dataDir);
  const path = `/${fx.bucket}/fresh-truncated-chunked`;
  const data = randomBytes(30_000);
  const body = unsignedTrailerBody(
    [data.subarray(0, 15_000), data.subarray(15_000)],
    'x-amz-checksum-crc32',
    crc32b64(data),
  );
  const signed = signRequest({
    method: 'PUT',
    path,
    creds: fx.key,
    payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    headers: {
      host,
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
  });
  const from = fx.server.stderr().length;
  const r = await sendRaw(fx.server.endpoint, {
    method: 'PUT',
    path,
    headers: { ...signed.headers, 'content-length': String(body.length) },
    body: [body],
    destroyAfter: 20_000,
  });
  assert.notEqual(r.status, 200);
  await serverDoneWithPut(from);
  await expectNothingStored('fresh-truncated-chunked', before);
  const s2 = signRequest({
    method: 'PUT',
    path,
    creds: fx.key,
    payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    headers: {
      host,
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
  });
  const r2 = await sendRaw(fx.server.endpoint, {
    method: 'PUT',
    path,
    headers: { ...s2.headers, 'content-length': String(body.length) },
    body: [body],
  });
  assert.equal(r2.status, 200, r2.body.toString());
  assert.equal(r2.headers['x-amz-checksum-crc32'], crc32b64(data));
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'fresh-truncated-chunked' }));
  assert.deepEqual(await bodyBytes(got.Body), data);
});
