/**
 * s3rver (npm) in its own process: filesystem store in a temp dir, request logging off, its fixed
 * S3RVER/S3RVER credentials (it verifies SigV4 signatures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHttpPool } from '../httpPool.js';
import { createS3Ops } from '../s3Ops.js';
import { createSigner, type Credentials } from '../signer.js';
import { spawnServer } from './spawnServer.js';
import type { BenchServer, StartContext, StartOutcome } from './types.js';

const REGION = 'us-east-1';

export async function startS3rver(ctx: StartContext): Promise<StartOutcome> {
  let bin: string;
  try {
    bin = join(
      dirname(createRequire(join(ctx.repoRoot, 'package.json')).resolve('s3rver/package.json')),
      'bin',
      's3rver.js',
    );
  } catch {
    return { skipped: 's3rver: the npm package is not installed (npm install --save-dev s3rver)' };
  }
  const dir = mkdtempSync(join(tmpdir(), 's3rver-bench-'));
  let proc;
  try {
    proc = await spawnServer(
      {
        label: 's3rver',
        command: process.execPath,
        args: [bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent'],
        cwd: ctx.repoRoot,
        ready: /S3rver listening on ([^:\s]+):(\d+)/,
        timeoutMs: 30_000,
      },
      ctx,
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const host = proc.match[1];
  const port = Number(proc.match[2]);
  const credentials: Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const admin = createHttpPool({ host, port, maxSockets: 4, timeoutMs: 60_000 });
  const s3 = createS3Ops(admin, createSigner({ credentials, region: REGION, service: 's3', host: `${host}:${port}` }));
  const running = proc;
  const server: BenchServer = {
    name: 's3rver',
    pid: proc.pid,
    host,
    port,
    region: REGION,
    controlPlane: false,
    trivial: false,
    credentials,
    async createBucket(name) {
      await s3.createBucket(name);
      return credentials;
    },
    logTail: () => running.tail(),
    async stop() {
      admin.close();
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { server };
}
