import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import type { ChecksumAlgorithm } from './ports/objectRecords.js';

/** Multipart ETag: MD5 of the concatenated binary part MD5s, then `-<parts>`. */
export function multipartEtag(partEtags: readonly string[]): string {
  const h = createHash('md5');
  for (const e of partEtags) h.update(Buffer.from(e, 'hex'));
  return `${h.digest('hex')}-${partEtags.length}`;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
};

/** The digest of `data` in `algorithm` (big-endian for CRCs). */
export async function digestOf(algorithm: ChecksumAlgorithm, data: Buffer): Promise<Buffer> {
  switch (algorithm) {
    case 'CRC32':
      return u32(crc32(data));
    case 'CRC32C':
      return u32(crc32c(data));
    case 'CRC64NVME': {
      const c = new Crc64Nvme();
      c.update(data);
      return Buffer.from(await c.digest());
    }
    case 'SHA1':
      return createHash('sha1').update(data).digest();
    case 'SHA256':
      return createHash('sha256').update(data).digest();
  }
}

/**
 * S3's composite checksum of a multipart object: the checksum of the concatenated binary part
 * checksums, base64, then `-<parts>`.
 */
export async function compositeChecksum(
  algorithm: ChecksumAlgorithm,
  partChecksums: readonly string[],
): Promise<string> {
  const joined = Buffer.concat(partChecksums.map((v) => Buffer.from(v, 'base64')));
  return `${(await digestOf(algorithm, joined)).toString('base64')}-${partChecksums.length}`;
}
