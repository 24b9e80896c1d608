/**
 * One multipart upload of `multipartMiB` MiB per operation: CreateMultipartUpload, 8 MiB parts sent
 * in parallel (the last may be smaller), CompleteMultipartUpload. Payload hashes are precomputed.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../signer.js';
import type { BenchCase } from './types.js';

const MiB = 1024 * 1024;
export const PART_BYTES = 8 * MiB;

export const multipartUpload: BenchCase = {
  id: 'multipart-64m',
  title: (s) => `Multipart upload ${s.multipartMiB} MiB (${PART_BYTES / MiB} MiB parts)`,
  bytesPerOp: (s) => s.multipartMiB * MiB,
  trivialGetBytes: () => 0,
  opsPerRun: (s) => s.multipartUploads,
  async setup(env) {
    const total = env.sizes.multipartMiB * MiB;
    const full = randomBytes(Math.min(PART_BYTES, total));
    const fullSha = sha256Hex(full);
    const parts: { body: Buffer; sha256: string }[] = [];
    for (let off = 0; off < total; off += PART_BYTES) {
      const len = Math.min(PART_BYTES, total - off);
      parts.push(
        len === full.length
          ? { body: full, sha256: fullSha }
          : { body: full.subarray(0, len), sha256: sha256Hex(full.subarray(0, len)) },
      );
    }
    return {
      async op(i) {
        const key = `multipart/${i}`;
        const uploadId = await env.s3.createMultipartUpload(env.bucket, key);
        const etags = await Promise.all(
          parts.map((p, n) => env.s3.uploadPart(env.bucket, key, uploadId, n + 1, p.body, p.sha256)),
        );
        await env.s3.completeMultipartUpload(env.bucket, key, uploadId, etags);
      },
    };
  },
};
