/** GetObject 4 KiB / 1 MiB and HeadObject on a few seeded objects. */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../signer.js';
import { expectBytes, type BenchCase } from './types.js';

const OBJECTS = 16;

function readCase(id: string, label: string, size: number, head: boolean): BenchCase {
  return {
    id,
    title: () => label,
    floor: true,
    bytesPerOp: () => (head ? 0 : size),
    trivialGetBytes: () => size,
    async setup(env) {
      const body = randomBytes(size);
      const sha256 = sha256Hex(body);
      await env.seed(OBJECTS, (i) => env.s3.putObject(env.bucket, `${id}/${i}`, body, { kind: 'sha256', sha256 }));
      return {
        op: head
          ? async (i) => {
              const res = await env.s3.headObject(env.bucket, `${id}/${i % OBJECTS}`);
              if (res.headers['content-length'] !== String(size))
                throw new Error(
                  `HeadObject ${id}/${i % OBJECTS}: content-length ${res.headers['content-length']}, expected ${size}`,
                );
            }
          : async (i) => {
              const res = await env.s3.getObject(env.bucket, `${id}/${i % OBJECTS}`, 0);
              expectBytes(`GetObject ${id}/${i % OBJECTS}`, res.bytes, size);
            },
      };
    },
  };
}

export const get4k = readCase('get-4k', 'GET 4 KiB', 4 * 1024, false);
export const get1m = readCase('get-1m', 'GET 1 MiB', 1024 * 1024, false);
export const head4k = readCase('head', 'HEAD (4 KiB object)', 4 * 1024, true);
