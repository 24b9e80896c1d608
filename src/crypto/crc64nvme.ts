/**
 * CRC64NVME (the reflected CRC-64 whose reversed polynomial is 0x9a6c9329ac4bc9b5, init and xor-out all ones), the
 * checksum S3 keeps by default for every object. Slicing-by-16 over 32-bit words: the 64-bit state
 * is two 32-bit halves (JS has no fast 64-bit integers), and the input is read four bytes at a time
 * through an Int32Array view once aligned (x86 and ARM are little-endian, as the reflected CRC
 * wants). `@aws-sdk/crc64-nvme` does slicing-by-8 reading one byte at a time; this one is measured
 * about 2x faster on this machine (docs/performance.md, "CRC64NVME"), and a test checks it against
 * the SDK's on random inputs of every length and alignment. Tables, state and words are signed int32
 * (the bits are the same): uint32 values above 2^31 are not small integers to V8, and optimized code
 * that had assumed they were was thrown away again and again ("lost precision").
 */
const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;
const SLICES = 16;

/** TABLE[(k * 256 + b) * 2] = high half, `+ 1` = low half, of the CRC of byte b followed by k zero bytes. */
const TABLE = buildTable();

function buildTable(): Int32Array {
  const t = new Int32Array(SLICES * 256 * 2);
  for (let b = 0; b < 256; b++) {
    let hi = 0;
    let lo = b;
    for (let j = 0; j < 8; j++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (bit) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    t[b * 2] = hi;
    t[b * 2 + 1] = lo;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const prev = ((k - 1) * 256 + b) * 2;
      const hi = t[prev];
      const lo = t[prev + 1];
      const idx = (lo & 255) * 2;
      const cur = (k * 256 + b) * 2;
      t[cur] = ((hi >>> 8) ^ t[idx]) >>> 0;
      t[cur + 1] = (((lo >>> 8) | ((hi & 255) << 24)) ^ t[idx + 1]) >>> 0;
    }
  }
  return t;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Crc64NvmeFast {
  /** The running (not yet inverted) state, high and low halves. */
  private hi = -1;
  private lo = -1;

  /**
   * The byte loop (an unaligned head, a tail under 16 bytes) and the 16-byte loop are separate
   * functions: V8 optimizes each with the feedback of its own calls. As one function, the long loop
   * was optimized (on-stack) before the tail loop had ever run, and every chunk whose length is not
   * a multiple of 16 then left the optimized code there ("insufficient type feedback") — about once
   * per PUT, each time recompiled (docs/performance.md, "PUT 1 MiB, stage by stage").
   */
  update(data: Uint8Array): void {
    const len = data.length;
    // Bytes until the next 4-byte boundary of the underlying buffer, one at a time.
    const head = Math.min(LITTLE_ENDIAN ? (4 - (data.byteOffset & 3)) & 3 : len, len);
    if (head > 0) this.bytes(data, 0, head);
    const blocks = (len - head) >>> 4;
    if (blocks > 0) this.blocks(new Int32Array(data.buffer, data.byteOffset + head, blocks * 4));
    const done = head + blocks * 16;
    if (done < len) this.bytes(data, done, len);
  }

  private bytes(data: Uint8Array, from: number, to: number): void {
    const t = TABLE;
    let hi = this.hi;
    let lo = this.lo;
    for (let i = from; i < to; i++) {
      const idx = ((lo ^ data[i]) & 255) * 2;
      lo = ((lo >>> 8) | ((hi & 255) << 24)) ^ t[idx + 1];
      hi = (hi >>> 8) ^ t[idx];
    }
    this.hi = hi | 0;
    this.lo = lo | 0;
  }

  /** 16 bytes at a time, read as four little-endian words. */
  private blocks(w: Int32Array): void {
    const t = TABLE;
    let hi = this.hi;
    let lo = this.lo;
    for (let j = 0; j < w.length; j += 4) {
      const a = lo ^ w[j];
      const b = hi ^ w[j + 1];
      const c = w[j + 2];
      const d = w[j + 3];
      const i0 = (15 * 256 + (a & 255)) * 2;
      const i1 = (14 * 256 + ((a >>> 8) & 255)) * 2;
      const i2 = (13 * 256 + ((a >>> 16) & 255)) * 2;
      const i3 = (12 * 256 + (a >>> 24)) * 2;
      const i4 = (11 * 256 + (b & 255)) * 2;
      const i5 = (10 * 256 + ((b >>> 8) & 255)) * 2;
      const i6 = (9 * 256 + ((b >>> 16) & 255)) * 2;
      const i7 = (8 * 256 + (b >>> 24)) * 2;
      const i8 = (7 * 256 + (c & 255)) * 2;
      const i9 = (6 * 256 + ((c >>> 8) & 255)) * 2;
      const i10 = (5 * 256 + ((c >>> 16) & 255)) * 2;
      const i11 = (4 * 256 + (c >>> 24)) * 2;
      const i12 = (3 * 256 + (d & 255)) * 2;
      const i13 = (2 * 256 + ((d >>> 8) & 255)) * 2;
      const i14 = (1 * 256 + ((d >>> 16) & 255)) * 2;
      const i15 = (d >>> 24) * 2;
      hi =
        t[i0] ^
        t[i1] ^
        t[i2] ^
        t[i3] ^
        t[i4] ^
        t[i5] ^
        t[i6] ^
        t[i7] ^
        t[i8] ^
        t[i9] ^
        t[i10] ^
        t[i11] ^
        t[i12] ^
        t[i13] ^
        t[i14] ^
        t[i15];
      lo =
        t[i0 + 1] ^
        t[i1 + 1] ^
        t[i2 + 1] ^
        t[i3 + 1] ^
        t[i4 + 1] ^
        t[i5 + 1] ^
        t[i6 + 1] ^
        t[i7 + 1] ^
        t[i8 + 1] ^
        t[i9 + 1] ^
        t[i10 + 1] ^
        t[i11 + 1] ^
        t[i12 + 1] ^
        t[i13 + 1] ^
        t[i14 + 1] ^
        t[i15 + 1];
    }
    this.hi = hi | 0;
    this.lo = lo | 0;
  }

  /** The big-endian 8-byte digest. */
  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.hi >>> 0, 0);
    out.writeUInt32BE(~this.lo >>> 0, 4);
    return out;
  }
}

/**
 * At load: CRC-64/NVME's check value (the CRC of the ASCII bytes "123456789"), and a 61-byte
 * unaligned input through head, blocks and tail against the same bytes one at a time. Besides
 * checking the tables, this gives every loop type feedback before any of them gets hot.
 */
function selfCheck(): void {
  const check = new Crc64NvmeFast();
  check.update(Buffer.from('123456789'));
  const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255)).subarray(1, 62);
  const whole = new Crc64NvmeFast();
  whole.update(bytes);
  const single = new Crc64NvmeFast();
  for (let i = 0; i < bytes.length; i++) single.update(bytes.subarray(i, i + 1));
  if (check.digest().toString('hex') !== 'ae8b14860a799888' || !whole.digest().equals(single.digest())) {
    throw new Error('CRC64NVME self-check failed');
  }
}
selfCheck();
