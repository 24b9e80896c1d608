/** Checksum known answers, composite multipart checksums, digest validation and the signing-key cache. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  createChecksum,
  compositeChecksum,
  decodeDigestValue,
  digestOf,
  checksumAlgorithmForHeader,
  checksumHeaderName,
  parseChecksumAlgorithm,
  SigningKeyCache,
  deriveSigningKey,
  type DigestAlgorithm,
} from '../../src/sigv4/index.js';

const CHECK = Buffer.from('123456789');
// Standard check values of each algorithm over "123456789".
const KNOWN: Record<DigestAlgorithm, string> = {
  CRC32: 'cbf43926',
  CRC32C: 'e3069283',
  CRC64NVME: 'ae8b14860a799888',
  SHA1: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
  SHA256: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225',
  MD5: '25f9e794323b453885f5181f1b624d0b',
};

test('every algorithm gives its standard check value, in one update or many', async () => {
  for (const [alg, hex] of Object.entries(KNOWN) as Array<[DigestAlgorithm, string]>) {
    assert.equal((await digestOf(alg, CHECK)).toString('hex'), hex, alg);
    const c = createChecksum(alg);
    for (const b of CHECK) c.update(Buffer.from([b]));
    assert.equal((await c.digest()).toString('hex'), hex, `${alg} byte by byte`);
  }
});

test('composite checksum: digest of the concatenated part digests, suffixed -N', async () => {
  const parts = [Buffer.from('part one'), Buffer.from('part two'), Buffer.from('3')];
  const raw = await Promise.all(parts.map((p) => digestOf('SHA256', p)));
  const want = createHash('sha256').update(Buffer.concat(raw)).digest('base64') + '-3';
  assert.equal(await compositeChecksum('SHA256', raw), want);
  assert.equal(
    await compositeChecksum(
      'SHA256',
      raw.map((r) => r.toString('base64')),
    ),
    want,
  );
  const crcs = await Promise.all(parts.map((p) => digestOf('CRC32', p)));
  assert.equal(
    await compositeChecksum('CRC32', crcs),
    (await digestOf('CRC32', Buffer.concat(crcs))).toString('base64') + '-3',
  );
  await assert.rejects(compositeChecksum('CRC32', ['AAAA']), /not a CRC32 digest/);
});

test('digest values must be canonical base64 of the right length', () => {
  assert.ok(decodeDigestValue('CRC32', 'AAAAAA=='));
  assert.equal(decodeDigestValue('CRC32', 'AAAA'), undefined);
  assert.equal(decodeDigestValue('CRC32', 'AAAAAA'), undefined);
  assert.equal(decodeDigestValue('MD5', '1B2M2Y8AsgTpgAmY7PhCfg=='.replace('=', '')), undefined);
  assert.ok(decodeDigestValue('MD5', '1B2M2Y8AsgTpgAmY7PhCfg=='));
  assert.equal(decodeDigestValue('SHA1', 'not base64 at all!'), undefined);
});

test('checksum header names and algorithm names', () => {
  assert.equal(checksumHeaderName('CRC64NVME'), 'x-amz-checksum-crc64nvme');
  assert.equal(checksumAlgorithmForHeader('X-Amz-Checksum-Crc32c'), 'CRC32C');
  assert.equal(checksumAlgorithmForHeader('x-amz-checksum-md5'), undefined);
  assert.equal(parseChecksumAlgorithm('sha256'), 'SHA256');
  assert.equal(parseChecksumAlgorithm('MD5'), undefined);
});

test('SigningKeyCache: cached per key and scope, bounded, a changed secret never reuses a key', () => {
  const cache = new SigningKeyCache(2);
  const k1 = cache.signingKey('AKIA1', 'secret-1', '20261129', 'us-east-1', 's3');
  assert.ok(k1.equals(deriveSigningKey('secret-1', '20261129', 'us-east-1', 's3')));
  assert.equal(cache.signingKey('AKIA1', 'secret-1', '20261129', 'us-east-1', 's3'), k1);
  // The same secret in another string object (a fresh decryption) is the same secret.
  assert.equal(cache.signingKey('AKIA1', ['secret', '1'].join('-'), '20261129', 'us-east-1', 's3'), k1);
  const rotated = cache.signingKey('AKIA1', 'secret-2', '20261129', 'us-east-1', 's3');
  assert.ok(!rotated.equals(k1), 'a new secret for the same key id never gets the old signing key');
  assert.ok(rotated.equals(deriveSigningKey('secret-2', '20261129', 'us-east-1', 's3')));
  assert.equal(cache.size, 1, 'the rotated secret replaced the entry of its key and scope');
  const back = cache.signingKey('AKIA1', 'secret-1', '20261129', 'us-east-1', 's3');
  assert.ok(back.equals(k1), 'going back to the first secret derives its key again');
  assert.ok(
    cache
      .signingKey('AKIA1', 'secret-1', '20261130', 'us-east-1', 's3')
      .equals(deriveSigningKey('secret-1', '20261130', 'us-east-1', 's3')),
  );
  assert.equal(cache.size, 2, 'one entry per scope');
  cache.signingKey('AKIA2', 'secret-3', '20261129', 'us-east-1', 's3');
  assert.equal(cache.size, 2, 'bounded');
  cache.forget('AKIA2');
  assert.equal(cache.size, 1);
  assert.throws(() => new SigningKeyCache(0), RangeError);
});
