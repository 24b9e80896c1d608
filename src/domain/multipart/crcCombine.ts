import type { ChecksumAlgorithm } from '../ports/objectRecords.js';

/**
 * CRC combination (as zlib's crc32_combine): the CRC of A||B from crc(A), crc(B) and |B|, for the
 * reflected CRCs S3 uses, so a multipart object's FULL_OBJECT checksum comes from its parts'
 * checksums without reading the data again. Arithmetic in GF(2)[x] modulo the CRC polynomial,
 * in reflected bit order, with BigInt so one implementation serves 32- and 64-bit CRCs.
 */
interface CrcSpec {
  width: number;
  poly: bigint;
}

const SPECS: Partial<Record<ChecksumAlgorithm, CrcSpec>> = {
  CRC32: { width: 32, poly: 0xedb88320n },
  CRC32C: { width: 32, poly: 0x82f63b78n },
  CRC64NVME: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
};

export const isCombinable = (a: ChecksumAlgorithm): boolean => SPECS[a] !== undefined;

function multmodp(s: CrcSpec, a: bigint, b: bigint): bigint {
  let m = 1n << BigInt(s.width - 1);
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ s.poly : b >> 1n;
  }
  return p;
}

/** x^(8 * bytes) mod p, by squaring (x^(2^k) for each set bit of 8 * bytes). */
function xPow8n(s: CrcSpec, bytes: number): bigint {
  let p = 1n << BigInt(s.width - 1); // x^0
  let sq = 1n << BigInt(s.width - 2); // x^1
  let n = BigInt(bytes) * 8n;
  while (n > 0n) {
    if (n & 1n) p = multmodp(s, sq, p);
    sq = multmodp(s, sq, sq);
    n >>= 1n;
  }
  return p;
}

/** crc(A||B) from crc(A), crc(B) (big-endian digests) and the byte length of B. */
export function crcCombine(algorithm: ChecksumAlgorithm, crcA: Buffer, crcB: Buffer, lengthB: number): Buffer {
  const s = SPECS[algorithm];
  if (!s) throw new Error(`${algorithm} checksums cannot be combined (only CRC32, CRC32C and CRC64NVME)`);
  const a = BigInt('0x' + crcA.toString('hex'));
  const b = BigInt('0x' + crcB.toString('hex'));
  const c = lengthB === 0 ? a : multmodp(s, xPow8n(s, lengthB), a) ^ b;
  return Buffer.from(c.toString(16).padStart(s.width / 4, '0'), 'hex');
}

/** The whole-object CRC of consecutive parts, each given as (base64 CRC, byte length). */
export function combineParts(algorithm: ChecksumAlgorithm, parts: readonly { value: string; size: number }[]): string {
  let acc: Buffer | undefined;
  for (const p of parts) {
    const crc = Buffer.from(p.value, 'base64');
    acc = acc === undefined ? crc : crcCombine(algorithm, acc, crc, p.size);
  }
  if (!acc) throw new Error('no parts to combine');
  return acc.toString('base64');
}
