/**
 * aws-chunked bodies: signed chunks (with and without a signed trailer) and unsigned trailers,
 * split like TCP packets; every way of lying about the body fails with its own code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import { createBodyVerifier, SigV4Error, type PayloadMode } from '../../src/sigv4/index.js';
import { bytes, run, signedChunkedBody, split, type SignedBodyOptions } from './chunkedBodies.js';
import { signedPut } from './s3Setup.js';

async function setup(mode: PayloadMode, decodedLength: number, extra: Record<string, string> = {}) {
  return signedPut(mode, {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(decodedLength),
    ...extra,
  });
}

const b64 = (b: Buffer) => b.toString('base64');
function crc32b64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data));
  return b64(b);
}

const DATA = bytes(150_000, 7);
const CHUNKS = [DATA.subarray(0, 65536), DATA.subarray(65536, 131072), DATA.subarray(131072)];

async function signedRun(
  o: SignedBodyOptions & {
    mode?: PayloadMode;
    declared?: number;
    extra?: Record<string, string>;
    mutate?: (b: Buffer) => Buffer;
    how?: Parameters<typeof split>[1];
    maxHeld?: number;
  } = {},
) {
  const mode = o.mode ?? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const { req, v, signing } = await setup(mode, o.declared ?? DATA.length, o.extra);
  let body = signedChunkedBody(signing, CHUNKS, o);
  if (o.mutate) body = o.mutate(body);
  const verifier = createBodyVerifier({
    verified: v,
    headers: req.headers,
    ...(o.maxHeld ? { maxHeldChunkBytes: o.maxHeld } : {}),
  });
  const r = await run(verifier, split(body, o.how ?? { seed: 3, max: 9000 }));
  return { ...r, verifier };
}

function assertCode(r: { error?: Error & { code?: string }; ended: boolean }, code: string) {
  assert.ok(r.error, `expected ${code}, but the body was accepted`);
  assert.ok(r.error instanceof SigV4Error, String(r.error));
  assert.equal(r.error.code, code, r.error.message);
  assert.equal(r.ended, false, 'a failed body must never end normally');
}

for (const how of ['one', { seed: 11, max: 7 }, { seed: 5, max: 70000 }, { seed: 9, max: 1500 }] as const) {
  test(`signed aws-chunked body passes byte-identical, split ${JSON.stringify(how)}`, async () => {
    const r = await signedRun({ how });
    assert.equal(r.error, undefined);
    assert.ok(r.ended);
    assert.ok(r.output.equals(DATA));
    const res = await r.verifier.result;
    assert.equal(res.decodedLength, DATA.length);
    assert.ok(res.md5.equals(createHash('md5').update(DATA).digest()));
  });
}

test('signed aws-chunked body in 1-byte pieces', async () => {
  const small = [bytes(300, 1), bytes(17, 2)];
  const { req, v, signing } = await setup('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 317);
  const r = await run(
    createBodyVerifier({ verified: v, headers: req.headers }),
    split(signedChunkedBody(signing, small), 'bytes'),
  );
  assert.equal(r.error, undefined);
  assert.ok(r.output.equals(Buffer.concat(small)));
});

test('bad chunk signature mid-stream fails before the chunk is passed on', async () => {
  const r = await signedRun({ badSignatureAt: 1 });
  assertCode(r, 'ChunkSignatureMismatch');
  assert.ok(r.output.length <= 65536, `only the first (verified) chunk may have passed, got ${r.output.length} bytes`);
  assert.ok(r.output.equals(DATA.subarray(0, r.output.length)));
  await assert.rejects(r.verifier.result, (e: SigV4Error) => e.code === 'ChunkSignatureMismatch');
});

test('bad final (empty) chunk signature fails', async () => {
  assertCode(await signedRun({ badSignatureAt: 3 }), 'ChunkSignatureMismatch');
});

test('altered chunk data fails even when chunks are larger than the hold limit', async () => {
  const flip = (b: Buffer) => {
    const c = Buffer.from(b);
    c[70000] = c[70000] ^ 1;
    return c;
  };
  assertCode(await signedRun({ mutate: flip }), 'ChunkSignatureMismatch');
  assertCode(await signedRun({ mutate: flip, maxHeld: 1000 }), 'ChunkSignatureMismatch');
});

test('broken framing fails with InvalidChunk', async () => {
  const missingCrlf = (b: Buffer) => {
    const i = b.indexOf('\r\n', b.indexOf('chunk-signature') + 80);
    return Buffer.concat([b.subarray(0, 65536 + i + 2), b.subarray(65536 + i + 4)]);
  };
  assertCode(await signedRun({ mutate: missingCrlf }), 'InvalidChunk');
  assertCode(await signedRun({ mutate: (b) => Buffer.concat([Buffer.from('zz'), b.subarray(5)]) }), 'InvalidChunk');
  assertCode(
    await signedRun({ mutate: (b) => Buffer.concat([Buffer.from('1' + ';x'.repeat(1500)), b]) }),
    'InvalidChunk',
  );
  assertCode(
    await signedRun({ mutate: (b) => Buffer.from(b.toString('latin1').replace('\r\n', '\n'), 'latin1') }),
    'InvalidChunk',
  );
  assertCode(await signedRun({ mutate: (b) => Buffer.concat([b, Buffer.from('junk')]) }), 'InvalidChunk');
  assertCode(
    await signedRun({
      mutate: (b) => Buffer.from(b.toString('latin1').replace(/;chunk-signature=[0-9a-f]+/, ''), 'latin1'),
    }),
    'InvalidChunk',
  );
});

test('truncated body fails with IncompleteBody', async () => {
  for (const cut of [10, 1000, 70000, 150100]) {
    assertCode(await signedRun({ mutate: (b) => b.subarray(0, b.length - cut) }), 'IncompleteBody');
  }
});

test('a decoded length that lies fails with IncompleteBody', async () => {
  assertCode(await signedRun({ declared: DATA.length + 1 }), 'IncompleteBody');
  const early = await signedRun({ declared: 1000 });
  assertCode(early, 'IncompleteBody');
  assert.equal(early.output.length, 0, 'a chunk larger than the declared length is refused before it is passed on');
});

test('signed trailer: good, wrong checksum, bad trailer signature, missing trailer', async () => {
  const extra = { 'x-amz-trailer': 'x-amz-checksum-crc32' };
  const mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' as const;
  const good = await signedRun({
    mode,
    extra,
    trailers: [['x-amz-checksum-crc32', crc32b64(DATA)]],
    signTrailer: true,
    how: { seed: 2, max: 100 },
  });
  assert.equal(good.error, undefined);
  assert.ok(good.output.equals(DATA));
  const res = await good.verifier.result;
  assert.deepEqual(res.checksum, { algorithm: 'CRC32', value: crc32b64(DATA) });
  assert.equal(res.trailers.get('x-amz-checksum-crc32'), crc32b64(DATA));

  assertCode(
    await signedRun({
      mode,
      extra,
      trailers: [['x-amz-checksum-crc32', crc32b64(DATA.subarray(1))]],
      signTrailer: true,
    }),
    'BadDigest',
  );
  assertCode(
    await signedRun({
      mode,
      extra,
      trailers: [['x-amz-checksum-crc32', crc32b64(DATA)]],
      signTrailer: true,
      badTrailerSignature: true,
    }),
    'ChunkSignatureMismatch',
  );
  assertCode(
    await signedRun({ mode, extra, trailers: [['x-amz-checksum-crc32', crc32b64(DATA)]], signTrailer: false }),
    'InvalidTrailer',
  );
  assertCode(await signedRun({ mode, extra, trailers: [], signTrailer: true }), 'InvalidTrailer');
  assertCode(
    await signedRun({ mode, extra, trailers: [['x-amz-checksum-crc32', 'AAAA']], signTrailer: true }),
    'InvalidDigest',
  );
  // a trailer on a mode without one
  assertCode(await signedRun({ trailers: [['x-amz-checksum-crc32', crc32b64(DATA)]] }), 'InvalidTrailer');
});

test('headers alone can be refused before the body is read', async () => {
  const { req, v } = await setup('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 10);
  const { 'x-amz-decoded-content-length': _, ...noLength } = req.headers;
  assert.throws(
    () => createBodyVerifier({ verified: v, headers: noLength }),
    (e: SigV4Error) => e.code === 'MissingDecodedContentLength',
  );
  assert.throws(
    () => createBodyVerifier({ verified: v, headers: { ...req.headers, 'content-md5': 'nope' } }),
    (e: SigV4Error) => e.code === 'InvalidDigest',
  );
  assert.throws(
    () => createBodyVerifier({ verified: v, headers: { ...req.headers, 'x-amz-checksum-crc32': 'AAAA' } }),
    (e: SigV4Error) =>
      e.code === 'InvalidChecksumHeaders' && /Value for x-amz-checksum-crc32 header is invalid/.test(e.message),
  );
  assert.throws(
    () =>
      createBodyVerifier({
        verified: v,
        headers: {
          ...req.headers,
          'x-amz-checksum-crc32': 'AAAAAA==',
          'x-amz-checksum-sha1': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        },
      }),
    (e: SigV4Error) => e.code === 'InvalidChecksumHeaders',
  );
  assert.throws(
    () => createBodyVerifier({ verified: v, headers: { ...req.headers, 'x-amz-trailer': 'x-amz-checksum-crc32' } }),
    (e: SigV4Error) => e.code === 'InvalidTrailer',
  );
  assert.throws(
    () => createBodyVerifier({ verified: v, headers: { ...req.headers, 'x-amz-sdk-checksum-algorithm': 'MD4' } }),
    (e: SigV4Error) => e.code === 'InvalidChecksumHeaders',
  );
});
