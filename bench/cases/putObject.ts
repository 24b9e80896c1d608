/**
 * PutObject cases: 4 KiB and 1 MiB with a signed SHA-256 payload, 4 KiB as STREAMING-UNSIGNED-PAYLOAD-TRAILER.
 * Keys are overwritten in turn over a key space (default 1000 for 4 KiB, 64 for 1 MiB) much larger than
 * the concurrency, so two requests in flight practically never write the same key: moto 5 answers 500
 * ("I/O operation on closed file") to concurrent overwrites of one key.
 */
import { randomBytes } from 'node:crypto';
import { crc32Base64, type PutMode } from '../s3Ops.js';
import { sha256Hex } from '../signer.js';
import type { BenchCase, CaseEnv } from './types.js';

const KiB = 1024;
const MiB = 1024 * 1024;

function putCase(
  id: string,
  label: string,
  size: number,
  modeFor: (body: Buffer) => PutMode,
  keySpace: (env: CaseEnv) => number,
): BenchCase {
  return {
    id,
    title: () => label,
    bytesPerOp: () => size,
    trivialGetBytes: () => size,
    async setup(env) {
      const body = randomBytes(size);
      const mode = modeFor(body);
      const keys = keySpace(env);
      return {
        op: async (i) => {
          await env.s3.putObject(env.bucket, `${id}/${i % keys}`, body, mode);
        },
      };
    },
  };
}

export const put4kSha256: BenchCase = {
  ...putCase(
    'put-4k-sha256',
    'PUT 4 KiB (signed SHA-256 payload)',
    4 * KiB,
    (b) => ({ kind: 'sha256', sha256: sha256Hex(b) }),
    (env) => env.sizes.putKeySpace,
  ),
  floor: true,
};

export const put1m: BenchCase = {
  ...putCase(
    'put-1m',
    'PUT 1 MiB (signed SHA-256 payload)',
    MiB,
    (b) => ({ kind: 'sha256', sha256: sha256Hex(b) }),
    (env) => Math.max(1, Math.min(64, env.sizes.putKeySpace)),
  ),
  floor: true,
};

const trailer = putCase(
  'put-4k-unsigned-trailer',
  'PUT 4 KiB (STREAMING-UNSIGNED-PAYLOAD-TRAILER, CRC32)',
  4 * KiB,
  (b) => ({ kind: 'unsigned-trailer-crc32', crc32Base64: crc32Base64(b) }),
  (env) => env.sizes.putKeySpace,
);

/** Peers that lack aws-chunked trailers either refuse the PUT or store the framing: both are "unsupported". */
export const put4kUnsignedTrailer: BenchCase = {
  ...trailer,
  async probe(env) {
    if (env.server.trivial) return undefined;
    const body = randomBytes(4 * KiB);
    const key = 'probe/unsigned-trailer';
    try {
      await env.s3.putObject(env.bucket, key, body, { kind: 'unsigned-trailer-crc32', crc32Base64: crc32Base64(body) });
    } catch (err) {
      return `refuses STREAMING-UNSIGNED-PAYLOAD-TRAILER (${(err as Error).message.slice(0, 160)})`;
    }
    const got = await env.s3.getObject(env.bucket, key, 16 * KiB);
    if (!got.body.equals(body))
      return `accepts STREAMING-UNSIGNED-PAYLOAD-TRAILER but stores ${got.bytes} bytes that differ from the 4096 sent (the aws-chunked framing is not decoded)`;
    return undefined;
  },
};
