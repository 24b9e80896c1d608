/**
 * Peak RSS of the server while it receives and then serves one big object (default 2 GiB): a single
 * streaming PUT (UNSIGNED-PAYLOAD, Content-Length set) and a GET whose body is hashed and compared.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { HttpPool } from '../httpPool.js';
import type { ProcStats } from '../procStats.js';
import type { BigObjectResult } from '../report/types.js';
import type { BenchServer } from '../servers/types.js';
import { objectPath, sha256Hex, type Signer } from '../signer.js';

const MiB = 1024 * 1024;
const SAMPLE_MS = 50;

function repeated(total: number, block: Buffer): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

function peakOf(proc: ProcStats, pid: number, reset: boolean, sampled: number): number {
  return Math.max(sampled, reset ? proc.statusKiB(pid, 'VmHWM') : 0) / 1024;
}

export async function measureBigObject(
  server: BenchServer,
  pool: HttpPool,
  signer: Signer,
  proc: ProcStats,
  bucket: string,
  sizeMiB: number,
): Promise<BigObjectResult> {
  const total = sizeMiB * MiB;
  const block = randomBytes(MiB);
  const key = 'big/object.bin';
  const pid = server.pid;
  const rssBeforeMiB = proc.statusKiB(pid, 'VmRSS') / 1024;

  let sampler = proc.sampleRss(pid, SAMPLE_MS);
  let reset = proc.resetPeak(pid);
  const t0 = performance.now();
  const put = signer.sign({ method: 'PUT', path: objectPath(bucket, key), payloadHash: 'UNSIGNED-PAYLOAD' });
  const putRes = await pool.send({
    method: 'PUT',
    url: put.url,
    headers: { ...put.headers, 'content-length': String(total) },
    body: () => repeated(total, block),
    keepBodyBytes: 4096,
  });
  const putSeconds = (performance.now() - t0) / 1000;
  const peakDuringPutMiB = peakOf(proc, pid, reset, sampler.stop());
  if (putRes.status !== 200)
    throw new Error(
      `PutObject ${bucket}/${key} (${sizeMiB} MiB): HTTP ${putRes.status}: ${putRes.body.toString('utf8', 0, 300)}`,
    );

  sampler = proc.sampleRss(pid, SAMPLE_MS);
  reset = proc.resetPeak(pid);
  const md5 = createHash('md5');
  const t1 = performance.now();
  const get = signer.sign({ method: 'GET', path: objectPath(bucket, key), payloadHash: sha256Hex('') });
  const getRes = await pool.send({ method: 'GET', url: get.url, headers: get.headers, onData: (c) => md5.update(c) });
  const getSeconds = (performance.now() - t1) / 1000;
  const peakDuringGetMiB = peakOf(proc, pid, reset, sampler.stop());
  if (getRes.status !== 200) throw new Error(`GetObject ${bucket}/${key} (${sizeMiB} MiB): HTTP ${getRes.status}`);

  const expected = createHash('md5');
  for (let left = total; left > 0; left -= block.length)
    expected.update(left >= block.length ? block : block.subarray(0, left));
  return {
    server: server.name,
    sizeMiB,
    rssBeforeMiB,
    peakDuringPutMiB,
    peakDuringGetMiB,
    peakGrowthMiB: Math.max(peakDuringPutMiB, peakDuringGetMiB) - rssBeforeMiB,
    putSeconds,
    getSeconds,
    bodyIntact: getRes.bytes === total && md5.digest('hex') === expected.digest('hex'),
  };
}
