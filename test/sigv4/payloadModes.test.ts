/**
 * UNSIGNED-PAYLOAD, hex SHA-256 and STREAMING-UNSIGNED-PAYLOAD-TRAILER bodies, with Content-MD5 and
 * every x-amz-checksum-* algorithm as a header or a trailer: right values pass, wrong ones fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { createBodyVerifier, SigV4Error, sha256Hex, type ChecksumAlgorithm } from '../../src/sigv4/index.js';
import { bytes, run, split, unsignedChunkedBody } from './chunkedBodies.js';
import { signedPut } from './s3Setup.js';

const DATA = bytes(70_000, 21);
const CHUNKS = [DATA.subarray(0, 8192), DATA.subarray(8192, 65536), DATA.subarray(65536)];

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
async function expected(alg: ChecksumAlgorithm, data: Buffer): Promise<string> {
  switch (alg) {
    case 'CRC32':
      return u32(crc32(data)).toString('base64');
    case 'CRC32C':
      return u32(crc32c(data)).toString('base64');
    case 'CRC64NVME': {
      const c = new Crc64Nvme();
      c.update(data);
      return Buffer.from(await c.digest()).toString('base64');
    }
    case 'SHA1':
      return createHash('sha1').update(data).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(data).digest('base64');
  }
}
const ALGS: ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

function assertCode(r: { error?: Error; ended: boolean }, code: string) {
  assert.ok(r.error instanceof SigV4Error, `expected ${code}, got ${String(r.error)}`);
  assert.equal(r.error.code, code, r.error.message);
  assert.equal(r.ended, false);
}

async function unsignedTrailerRun(
  alg: ChecksumAlgorithm,
  trailerName: string,
  value: string,
  how: Parameters<typeof split>[1] = { seed: 4, max: 5000 },
) {
  const name = `x-amz-checksum-${alg.toLowerCase()}`;
  const { req, v } = await signedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(DATA.length),
    'x-amz-trailer': name,
    'x-amz-sdk-checksum-algorithm': alg,
  });
  const body = unsignedChunkedBody(CHUNKS, [[trailerName, value]]);
  const verifier = createBodyVerifier({ verified: v, headers: req.headers, contentLength: body.length });
  return { ...(await run(verifier, split(body, how))), verifier };
}

for (const alg of ALGS) {
  test(`STREAMING-UNSIGNED-PAYLOAD-TRAILER with ${alg}: right value passes, wrong and malformed fail`, async () => {
    const name = `x-amz-checksum-${alg.toLowerCase()}`;
    const good = await expected(alg, DATA);
    const ok = await unsignedTrailerRun(alg, name, good);
    assert.equal(ok.error, undefined);
    assert.ok(ok.output.equals(DATA));
    const res = await ok.verifier.result;
    assert.deepEqual(res.checksum, { algorithm: alg, value: good });
    assert.equal(res.decodedLength, DATA.length);
    assertCode(await unsignedTrailerRun(alg, name, await expected(alg, DATA.subarray(1))), 'BadDigest');
    assertCode(await unsignedTrailerRun(alg, name, good.slice(2)), 'InvalidDigest');
    const other = alg === 'CRC32' ? 'x-amz-checksum-sha1' : 'x-amz-checksum-crc32';
    assertCode(
      await unsignedTrailerRun(alg, other, await expected(alg === 'CRC32' ? 'SHA1' : 'CRC32', DATA)),
      'InvalidTrailer',
    );
  });
}

test('unsigned trailer in 1-byte pieces', async () => {
  const r = await unsignedTrailerRun('CRC32', 'x-amz-checksum-crc32', await expected('CRC32', DATA), 'bytes');
  assert.equal(r.error, undefined);
  assert.ok(r.output.equals(DATA));
});

async function plainRun(
  contentSha256: string,
  headers: Record<string, string>,
  body: Buffer,
  contentLength = body.length,
  computeChecksums?: ChecksumAlgorithm[],
) {
  const { req, v } = await signedPut(contentSha256, headers);
  const verifier = createBodyVerifier({
    verified: v,
    headers: req.headers,
    contentLength,
    ...(computeChecksums ? { computeChecksums } : {}),
  });
  return { ...(await run(verifier, split(body, { seed: 8, max: 3000 }))), verifier, v };
}

test('UNSIGNED-PAYLOAD passes through and reports MD5, length and requested checksums', async () => {
  const r = await plainRun('UNSIGNED-PAYLOAD', {}, DATA, DATA.length, ['CRC64NVME']);
  assert.equal(r.error, undefined);
  assert.ok(r.output.equals(DATA));
  const res = await r.verifier.result;
  assert.equal(res.md5.toString('hex'), createHash('md5').update(DATA).digest('hex'));
  assert.deepEqual(res.checksums, [{ algorithm: 'CRC64NVME', value: await expected('CRC64NVME', DATA) }]);
  assert.equal(res.checksum, undefined);
  assertCode(await plainRun('UNSIGNED-PAYLOAD', {}, DATA.subarray(1), DATA.length), 'IncompleteBody');
  assertCode(await plainRun('UNSIGNED-PAYLOAD', {}, DATA, DATA.length - 1), 'IncompleteBody');
});

test('hex x-amz-content-sha256: right body passes, other body fails with PayloadHashMismatch', async () => {
  const ok = await plainRun(sha256Hex(DATA), {}, DATA);
  assert.equal(ok.v.payloadMode, 'SHA256');
  assert.equal(ok.error, undefined);
  const bad = Buffer.from(DATA);
  bad[0] = bad[0] ^ 0xff;
  assertCode(await plainRun(sha256Hex(DATA), {}, bad), 'PayloadHashMismatch');
});

test('Content-MD5 and header checksums are checked', async () => {
  const md5 = createHash('md5').update(DATA).digest('base64');
  assert.equal((await plainRun('UNSIGNED-PAYLOAD', { 'content-md5': md5 }, DATA)).error, undefined);
  assertCode(
    await plainRun('UNSIGNED-PAYLOAD', { 'content-md5': createHash('md5').update('x').digest('base64') }, DATA),
    'BadDigest',
  );
  for (const alg of ALGS) {
    const name = `x-amz-checksum-${alg.toLowerCase()}`;
    const ok = await plainRun(sha256Hex(DATA), { [name]: await expected(alg, DATA) }, DATA);
    assert.equal(ok.error, undefined, `${alg}: ${ok.error?.message}`);
    assert.deepEqual((await ok.verifier.result).checksum, { algorithm: alg, value: await expected(alg, DATA) });
    assertCode(
      await plainRun('UNSIGNED-PAYLOAD', { [name]: await expected(alg, Buffer.from('other')) }, DATA),
      'BadDigest',
    );
  }
});
