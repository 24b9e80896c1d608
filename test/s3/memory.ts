/**
 * Memory measurement (a script, not a test): uploads and downloads a 2 GiB object with
 * @aws-sdk/client-s3 streaming and prints the server's peak RSS growth (VmHWM in /proc/<pid>/status).
 *
 *   npx tsc -p . && node dist/test/s3/memory.js [sizeMiB]     (default 2048)
 *
 * It starts its own server (built bin/sailbucket.js) so it knows the pid, and removes its data dir.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { BIN, REPO_ROOT } from '../helpers/server.js';
import { createBucketWithKey, REGION } from './clientsHarness.js';

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]);
}

/** `total` bytes made of one random 1 MiB block repeated (cheap to generate, not compressible per block). */
function source(total: number, block: Buffer): Readable {
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

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 2048);
  const total = mib * 1024 * 1024;
  const dataDir = mkdtempSync(join(tmpdir(), 'sailbucket-mem-'));
  const credentials = {
    accessKeyId: 'SBMEM' + randomBytes(6).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  const proc = spawn(
    process.execPath,
    [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        SAILBUCKET_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
        SAILBUCKET_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
    },
  );
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error('server did not start within 20 s')), 20_000);
      proc.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /sailbucket listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1].replace(/\/$/, ''));
        }
      });
      proc.once('exit', (c) => {
        clearTimeout(t);
        reject(new Error(`server exited with ${c}`));
      });
    });
    const pid = proc.pid!;
    const { bucket, key } = await createBucketWithKey({ endpoint, credentials });
    const s3 = new S3Client({ endpoint, region: REGION, credentials: key });
    const before = { hwm: statusKiB(pid, 'VmHWM'), rss: statusKiB(pid, 'VmRSS') };
    const block = randomBytes(1024 * 1024);
    const t0 = Date.now();
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: source(total, block), ContentLength: total }),
    );
    const afterPut = statusKiB(pid, 'VmHWM');
    const t1 = Date.now();
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    const md5 = createHash('md5');
    let received = 0;
    for await (const chunk of got.Body as Readable) {
      md5.update(chunk as Buffer);
      received += (chunk as Buffer).length;
    }
    const t2 = Date.now();
    const after = statusKiB(pid, 'VmHWM');
    const expected = createHash('md5');
    for (let left = total; left > 0; left -= block.length)
      expected.update(left >= block.length ? block : block.subarray(0, left));
    s3.destroy();
    console.log(
      JSON.stringify(
        {
          sizeMiB: mib,
          etag: put.ETag,
          receivedBytes: received,
          bodyIntact: received === total && md5.digest('hex') === expected.digest('hex'),
          uploadSeconds: (t1 - t0) / 1000,
          downloadSeconds: (t2 - t1) / 1000,
          serverRssBeforeMiB: +(before.rss / 1024).toFixed(1),
          serverPeakBeforeMiB: +(before.hwm / 1024).toFixed(1),
          serverPeakAfterPutMiB: +(afterPut / 1024).toFixed(1),
          serverPeakAfterGetMiB: +(after / 1024).toFixed(1),
          peakGrowthMiB: +((after - before.hwm) / 1024).toFixed(1),
        },
        null,
        2,
      ),
    );
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
