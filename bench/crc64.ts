/**
 * CRC64NVME cost per MiB against MD5 (which every write pays for the ETag) and @aws-sdk/crc64-nvme:
 * `npm run build && node dist/bench/crc64.js`. 64 MiB in 64 KiB updates (one socket read each),
 * best of 5 rounds; results in docs/performance.md ("CRC64NVME").
 */
import { createHash, randomBytes } from 'node:crypto';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { Crc64NvmeFast } from '../src/crypto/crc64nvme.js';

const MIB = 64;
const buf = randomBytes(MIB * 1024 * 1024);
const CHUNK = 64 * 1024;

function best(name: string, run: () => void): void {
  let ms = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    run();
    ms = Math.min(ms, Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`${name.padEnd(28)} ${(ms / MIB).toFixed(3)} ms/MiB  ${((MIB * 1000) / ms).toFixed(0)} MiB/s`);
}

best('MD5 (node:crypto)', () => {
  const h = createHash('md5');
  for (let i = 0; i < buf.length; i += CHUNK) h.update(buf.subarray(i, i + CHUNK));
  h.digest();
});
best('CRC64NVME @aws-sdk', () => {
  const c = new Crc64Nvme();
  for (let i = 0; i < buf.length; i += CHUNK) c.update(buf.subarray(i, i + CHUNK));
});
best('CRC64NVME Sailbucket', () => {
  const c = new Crc64NvmeFast();
  for (let i = 0; i < buf.length; i += CHUNK) c.update(buf.subarray(i, i + CHUNK));
  c.digest();
});
best('CRC64NVME Sailbucket, odd', () => {
  const c = new Crc64NvmeFast();
  for (let i = 1; i + CHUNK <= buf.length; i += CHUNK) c.update(buf.subarray(i, i + CHUNK));
  c.digest();
});
