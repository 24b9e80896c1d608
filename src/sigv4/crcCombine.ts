/**
 * CRC combination (as zlib's crc32_combine): the CRC of A‖B from crc(A), crc(B) and len(B), for
 * CRC32, CRC32C and CRC64NVME. S3 uses it for FULL_OBJECT checksums of multipart uploads: the
 * object's CRC from its parts' CRCs, without reading the data again. GF(2) arithmetic modulo the
 * reflected polynomial; values are [hi, lo] pairs of uint32 so one routine serves 32 and 64 bits.
 */
import { digestLength, type ChecksumAlgorithm } from '../crypto/checksums.js';

export type CrcAlgorithm = Extract<ChecksumAlgorithm, 'CRC32' | 'CRC32C' | 'CRC64NVME'>;

type Pair = readonly [hi: number, lo: number];

interface CrcSpec {
  width: number;
  poly: Pair;
  x2n: Pair[];
}

const REFLECTED_POLY: Record<CrcAlgorithm, [number, Pair]> = {
  CRC32: [32, [0, 0xedb88320]],
  CRC32C: [32, [0, 0x82f63b78]],
  CRC64NVME: [64, [0x9a6c9329, 0xac4bc9b5]],
};

const bit = (v: Pair, i: number): number => (i >= 32 ? (v[0] >>> (i - 32)) & 1 : (v[1] >>> i) & 1);
const single = (i: number): Pair => (i >= 32 ? [(1 << (i - 32)) >>> 0, 0] : [0, (1 << i) >>> 0]);

function lowestSetBit(v: Pair): number {
  if (v[1] !== 0) return 31 - Math.clz32(v[1] & -v[1]);
  if (v[0] !== 0) return 63 - Math.clz32(v[0] & -v[0]);
  return -1;
}

/** a·b mod p; bit (width-1) is x^0 (reflected order), as in zlib's multmodp. */
function multModP(spec: CrcSpec, a: Pair, b: Pair): Pair {
  const lowest = lowestSetBit(a);
  let pHi = 0,
    pLo = 0;
  let bHi = b[0],
    bLo = b[1];
  for (let i = spec.width - 1; i >= lowest && lowest >= 0; i--) {
    if (bit(a, i)) {
      pHi ^= bHi;
      pLo ^= bLo;
    }
    if (i > lowest) {
      const carry = bLo & 1;
      bLo = ((bLo >>> 1) | ((bHi & 1) << 31)) >>> 0;
      bHi = bHi >>> 1;
      if (carry) {
        bHi = (bHi ^ spec.poly[0]) >>> 0;
        bLo = (bLo ^ spec.poly[1]) >>> 0;
      }
    }
  }
  return [pHi >>> 0, pLo >>> 0];
}

function specFor(algorithm: CrcAlgorithm): CrcSpec {
  const [width, poly] = REFLECTED_POLY[algorithm];
  const spec: CrcSpec = { width, poly, x2n: [] };
  let p = single(width - 2); // x^1
  for (let k = 0; k < 64; k++) {
    spec.x2n.push(p);
    p = multModP(spec, p, p);
  }
  return spec;
}

/** x^(8·len) mod p: the shift that appending len bytes applies to a CRC. */
function shiftFor(spec: CrcSpec, len: number): Pair {
  let p = single(spec.width - 1); // x^0
  let k = 3;
  for (let n = len; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) p = multModP(spec, spec.x2n[k % 64]!, p);
  }
  return p;
}

export interface CrcPart {
  /** The part's CRC, big-endian (as in x-amz-checksum-*). */
  digest: Uint8Array;
  /** The part's length in bytes. */
  length: number;
}

/** The CRC (big-endian digest) of the concatenation of the parts, in order. */
export function combineCrcs(algorithm: CrcAlgorithm, parts: readonly CrcPart[]): Buffer {
  const bytes = digestLength(algorithm);
  const spec = specFor(algorithm);
  const shifts = new Map<number, Pair>(); // parts mostly share one size
  let crc: Pair = [0, 0]; // the CRC of no bytes
  for (const part of parts) {
    if (part.digest.length !== bytes) {
      throw new RangeError(`combineCrcs: a ${algorithm} digest has ${bytes} bytes, got ${part.digest.length}`);
    }
    if (!Number.isSafeInteger(part.length) || part.length < 0) {
      throw new RangeError(`combineCrcs: part length ${part.length} is not a byte count`);
    }
    let shift = shifts.get(part.length);
    if (shift === undefined) shifts.set(part.length, (shift = shiftFor(spec, part.length)));
    const d = Buffer.from(part.digest.buffer, part.digest.byteOffset, part.digest.byteLength);
    const value: Pair = bytes === 8 ? [d.readUInt32BE(0), d.readUInt32BE(4)] : [0, d.readUInt32BE(0)];
    const shifted = multModP(spec, shift, crc);
    crc = [(shifted[0] ^ value[0]) >>> 0, (shifted[1] ^ value[1]) >>> 0];
  }
  const out = Buffer.alloc(bytes);
  if (bytes === 8) {
    out.writeUInt32BE(crc[0], 0);
    out.writeUInt32BE(crc[1], 4);
  } else out.writeUInt32BE(crc[1], 0);
  return out;
}
