/**
 * DeleteObjects of `deleteKeys` existing keys per request. Each run seeds one fresh group of empty
 * objects per planned request before it starts (unmeasured), so every request deletes real objects.
 * Keys are flat (no '/'): s3rver's filesystem store races removing shared parent directories when
 * one request deletes many keys under the same prefix in parallel, and answers 500.
 */
import { sha256Hex } from '../signer.js';
import type { BenchCase } from './types.js';

const EMPTY = Buffer.alloc(0);

export const deleteObjects: BenchCase = {
  id: 'delete-objects-1000',
  title: (s) => `DeleteObjects (${s.deleteKeys} keys per request)`,
  bytesPerOp: () => 0,
  trivialGetBytes: () => 0,
  opsPerRun: (s) => s.deleteBatches,
  async setup(env) {
    const n = env.sizes.deleteKeys;
    const sha256 = sha256Hex(EMPTY);
    let run = 0;
    let groups: string[][] = [];
    return {
      async prepareRun(planned) {
        run++;
        groups = Array.from({ length: planned }, (_, g) =>
          Array.from({ length: n }, (_, k) => `del-${run}-${g}-${String(k).padStart(5, '0')}`),
        );
        const all = groups.flat();
        await env.seed(all.length, (i) => env.s3.putObject(env.bucket, all[i], EMPTY, { kind: 'sha256', sha256 }));
      },
      async op(i) {
        const keys = groups[i];
        if (!keys) throw new Error(`DeleteObjects op ${i}: only ${groups.length} groups were seeded for this run`);
        await env.s3.deleteObjects(env.bucket, keys);
      },
    };
  },
};
