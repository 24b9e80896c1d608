/**
 * Object checksums with one incremental interface: CRC32 (zlib), CRC32C (@aws-crypto/crc32c),
 * CRC64NVME (./crc64nvme.ts, checked against @aws-sdk/crc64-nvme), SHA1, SHA256 and MD5 (node:crypto). S3 carries them as
 * base64 of the big-endian digest in `x-amz-checksum-<algorithm>`.
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64NvmeFast } from './crc64nvme.js';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export type DigestAlgorithm = ChecksumAlgorithm | 'MD5';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

const DIGEST_LENGTH: Record<DigestAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
  MD5: 16,
};

const HEADER_TO_ALGORITHM: ReadonlyMap<string, ChecksumAlgorithm> = new Map(
  CHECKSUM_ALGORITHMS.map((a) => ['x-amz-checksum-' + a.toLowerCase(), a] as const),
);

export interface IncrementalChecksum {
  readonly algorithm: DigestAlgorithm;
  update(data: Uint8Array): void;
  /** The big-endian digest; call once, after the last update. */
  digest(): Promise<Buffer>;
}

class NodeHashChecksum implements IncrementalChecksum {
  private readonly hash: Hash;
  constructor(readonly algorithm: 'MD5' | 'SHA1' | 'SHA256') {
    this.hash = createHash(algorithm === 'MD5' ? 'md5' : algorithm === 'SHA1' ? 'sha1' : 'sha256');
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(this.hash.digest());
  }
}

class Crc32Checksum implements IncrementalChecksum {
  readonly algorithm = 'CRC32' as const;
  private value = 0;
  update(data: Uint8Array): void {
    this.value = crc32(data, this.value);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(uint32(this.value));
  }
}

class Crc32cChecksum implements IncrementalChecksum {
  readonly algorithm = 'CRC32C' as const;
  private readonly crc = new Crc32c();
  update(data: Uint8Array): void {
    this.crc.update(data);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(uint32(this.crc.digest()));
  }
}

class Crc64NvmeChecksum implements IncrementalChecksum {
  readonly algorithm = 'CRC64NVME' as const;
  private readonly crc = new Crc64NvmeFast();
  update(data: Uint8Array): void {
    this.crc.update(data);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(this.crc.digest());
  }
}

function uint32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export function createChecksum(algorithm: DigestAlgorithm): IncrementalChecksum {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Checksum();
    case 'CRC32C':
      return new Crc32cChecksum();
    case 'CRC64NVME':
      return new Crc64NvmeChecksum();
    case 'SHA1':
    case 'SHA256':
    case 'MD5':
      return new NodeHashChecksum(algorithm);
  }
}

/** 'x-amz-checksum-crc32' for 'CRC32'. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return 'x-amz-checksum-' + algorithm.toLowerCase();
}

/** The algorithm of a checksum header name (any case), or undefined. */
export function checksumAlgorithmForHeader(name: string): ChecksumAlgorithm | undefined {
  return HEADER_TO_ALGORITHM.get(name.toLowerCase());
}

/** Parses an algorithm name such as x-amz-sdk-checksum-algorithm's value ('crc32', 'SHA256'). */
export function parseChecksumAlgorithm(value: string): ChecksumAlgorithm | undefined {
  const upper = value.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

/**
 * Decodes a base64 digest value and checks it has the algorithm's length and is canonical
 * base64 (re-encoding gives it back); undefined when malformed.
 */
export function decodeDigestValue(algorithm: DigestAlgorithm, base64: string): Buffer | undefined {
  const v = base64.trim();
  const bytes = Buffer.from(v, 'base64');
  if (bytes.length !== DIGEST_LENGTH[algorithm] || bytes.toString('base64') !== v) return undefined;
  return bytes;
}

/** The digest of whole data (one buffer or several in order). */
export async function digestOf(algorithm: DigestAlgorithm, data: Uint8Array | readonly Uint8Array[]): Promise<Buffer> {
  const c = createChecksum(algorithm);
  if (data instanceof Uint8Array) c.update(data);
  else for (const d of data) c.update(d);
  return c.digest();
}

/**
 * S3 multipart composite checksum: the algorithm over the concatenated raw part digests, as
 * base64, suffixed '-<number of parts>'. Parts may be given as raw digests or base64 strings.
 */
export async function compositeChecksum(
  algorithm: ChecksumAlgorithm,
  parts: ReadonlyArray<Buffer | string>,
): Promise<string> {
  const c = createChecksum(algorithm);
  for (const p of parts) {
    const raw = typeof p === 'string' ? decodeDigestValue(algorithm, p) : p;
    if (!raw || raw.length !== DIGEST_LENGTH[algorithm]) {
      throw new RangeError(
        `compositeChecksum: part checksum ${typeof p === 'string' ? `'${p}'` : `of ${p.length} bytes`} is not a ${algorithm} digest`,
      );
    }
    c.update(raw);
  }
  return (await c.digest()).toString('base64') + '-' + parts.length;
}
