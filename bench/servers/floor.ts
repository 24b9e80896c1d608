/** Starts the floor reference (floorMain.ts) as its own process, over a temp data dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpPool } from '../httpPool.js';
import { createS3Ops } from '../s3Ops.js';
import { createSigner, type Credentials } from '../signer.js';
import { spawnServer } from './spawnServer.js';
import type { BenchServer, StartContext } from './types.js';

const REGION = 'us-east-1';

export async function startFloor(ctx: StartContext): Promise<BenchServer> {
  const main = join(dirname(fileURLToPath(import.meta.url)), 'floorMain.js');
  const dir = mkdtempSync(join(tmpdir(), 'floor-bench-'));
  let proc;
  try {
    proc = await spawnServer(
      {
        label: 'floor',
        command: process.execPath,
        args: [...(ctx.floorNodeArgs ?? []), main, dir, '0'],
        cwd: ctx.repoRoot,
        ready: /floor listening on http:\/\/([^:\s]+):(\d+)/,
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
  // The floor checks no signature; requests are signed anyway so the client does the same work for every server.
  const credentials: Credentials = {
    accessKeyId: 'FLOORNOAUTH00000',
    secretAccessKey: 'floor-server-ignores-signatures',
  };
  const admin = createHttpPool({ host, port, maxSockets: 2, timeoutMs: 60_000 });
  const s3 = createS3Ops(admin, createSigner({ credentials, region: REGION, service: 's3', host: `${host}:${port}` }));
  const running = proc;
  return {
    name: 'floor',
    pid: proc.pid,
    host,
    port,
    region: REGION,
    controlPlane: false,
    trivial: false,
    floor: true,
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
}
