/** ListObjectsV2 of one full page (the bucket prefix holds exactly `listKeys` objects). */
import { sha256Hex } from '../signer.js';
import type { BenchCase } from './types.js';

/** Rough size of one <Contents> entry, for the trivial server's answer. */
export const LIST_ENTRY_BYTES = 250;
const MIN_ENTRY_BYTES = 40;
const EMPTY = Buffer.alloc(0);

export const listObjectsV2: BenchCase = {
  id: 'list-1000',
  title: (s) => `ListObjectsV2 (${s.listKeys} keys, one page)`,
  bytesPerOp: () => 0,
  trivialGetBytes: (s) => s.listKeys * LIST_ENTRY_BYTES,
  async setup(env) {
    const n = env.sizes.listKeys;
    const sha256 = sha256Hex(EMPTY);
    await env.seed(n, (i) =>
      env.s3.putObject(env.bucket, `list/${String(i).padStart(7, '0')}`, EMPTY, { kind: 'sha256', sha256 }),
    );
    return {
      async op() {
        const res = await env.s3.listObjectsV2(env.bucket, 'list/', n);
        if (res.bytes < n * MIN_ENTRY_BYTES)
          throw new Error(`ListObjectsV2 ${env.bucket} prefix list/: ${res.bytes} bytes is too small for ${n} keys`);
        const truncated = /<IsTruncated>true<\/IsTruncated>/.test(res.body.toString('utf8'));
        if (truncated)
          throw new Error(
            `ListObjectsV2 ${env.bucket} prefix list/ max-keys ${n}: IsTruncated true, expected one page of ${n} keys`,
          );
      },
    };
  },
};
