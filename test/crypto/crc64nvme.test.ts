/** Sailbucket's slicing-by-16 CRC64NVME against @aws-sdk/crc64-nvme on random inputs of every length, alignment and split. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { Crc64NvmeFast } from '../../src/crypto/crc64nvme.js';

async function sdk(data: Uint8Array): Promise<string> {
  const c = new Crc64Nvme();
  c.update(data);
  return Buffer.from(await c.digest()).toString('hex');
}

test('the check value over "123456789" and the empty input', async () => {
  const c = new Crc64NvmeFast();
  c.update(Buffer.from('123456789'));
  assert.equal(c.digest().toString('hex'), 'ae8b14860a799888');
  assert.equal(new Crc64NvmeFast().digest().toString('hex'), await sdk(new Uint8Array(0)));
});

test('equals the SDK on 2000 random inputs (lengths 0..5000, any byte offset, split in up to 5 updates)', async () => {
  const pool = randomBytes(8192);
  for (let n = 0; n < 2000; n++) {
    const len = n < 300 ? n : randomInt(5000);
    const offset = randomInt(16);
    const data = pool.subarray(offset, offset + len);
    const ours = new Crc64NvmeFast();
    let at = 0;
    const pieces = randomInt(1, 6);
    for (let p = 1; p < pieces; p++) {
      const next = randomInt(at, len + 1);
      ours.update(data.subarray(at, next));
      at = next;
    }
    ours.update(data.subarray(at));
    assert.equal(ours.digest().toString('hex'), await sdk(data), `length ${len}, offset ${offset}, ${pieces} pieces`);
  }
});

test('equals the SDK on 8 MiB in 64 KiB reads and on a Uint8Array that is not a Buffer', async () => {
  const big = randomBytes(8 * 1024 * 1024 + 3);
  const ours = new Crc64NvmeFast();
  for (let i = 0; i < big.length; i += 65536) ours.update(big.subarray(i, i + 65536));
  assert.equal(ours.digest().toString('hex'), await sdk(big));
  const plain = new Uint8Array(big.buffer, big.byteOffset + 1, 1000);
  const o2 = new Crc64NvmeFast();
  o2.update(plain);
  assert.equal(o2.digest().toString('hex'), await sdk(plain));
});
