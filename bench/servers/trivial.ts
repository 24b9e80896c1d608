/** Starts the trivial node:http server (trivialMain.ts) as its own process. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpPool } from '../httpPool.js';
import { BenchRequestError } from '../s3Ops.js';
import { spawnServer } from './spawnServer.js';
import type { BenchServer, StartContext } from './types.js';

export async function startTrivial(ctx: StartContext): Promise<BenchServer> {
  const main = join(dirname(fileURLToPath(import.meta.url)), 'trivialMain.js');
  const proc = await spawnServer(
    {
      label: 'trivial',
      command: process.execPath,
      args: [main, '0'],
      cwd: ctx.repoRoot,
      ready: /trivial listening on http:\/\/([^:\s]+):(\d+)/,
      timeoutMs: 30_000,
    },
    ctx,
  );
  const host = proc.match[1];
  const port = Number(proc.match[2]);
  const admin = createHttpPool({ host, port, maxSockets: 1, timeoutMs: 30_000 });
  const credentials = { accessKeyId: 'TRIVIALNOAUTH000', secretAccessKey: 'trivial-server-ignores-signatures' };
  const running = proc;
  return {
    name: 'trivial',
    pid: proc.pid,
    host,
    port,
    region: 'us-east-1',
    controlPlane: true,
    trivial: true,
    credentials,
    async createBucket() {
      return credentials;
    },
    async setGetBodyBytes(bytes) {
      const res = await admin.send({
        method: 'POST',
        url: `/__trivial/get-body-bytes/${bytes}`,
        headers: {},
        keepBodyBytes: 1024,
      });
      if (res.status !== 204)
        throw new BenchRequestError(
          `trivial server refused get-body-bytes ${bytes}: HTTP ${res.status} ${res.body.toString('utf8')}`,
        );
    },
    logTail: () => running.tail(),
    async stop() {
      admin.close();
      await running.stop();
    },
  };
}
