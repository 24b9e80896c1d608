/**
 * moto's S3 server (`python3 -m moto.server`, threaded werkzeug, in-memory store). Skipped with a
 * reason when python3 or moto is absent. The real interpreter is resolved first so that the pid we
 * measure is python's, not a version-manager shim's.
 */
import { spawnSync } from 'node:child_process';
import { createHttpPool } from '../httpPool.js';
import { createS3Ops } from '../s3Ops.js';
import { createSigner, type Credentials } from '../signer.js';
import { freePort, spawnServer } from './spawnServer.js';
import type { BenchServer, StartContext, StartOutcome } from './types.js';

const REGION = 'us-east-1';

function findPython(command: string): { python: string } | { skipped: string } {
  const probe = spawnSync(command, ['-c', 'import sys, moto; print(sys.executable); print(moto.__version__)'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.error)
    return {
      skipped: `moto: ${command} is not available (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message})`,
    };
  if (probe.status !== 0)
    return {
      skipped: `moto: ${command} cannot import moto (${(probe.stderr ?? '').trim().split('\n').pop() ?? `exit ${probe.status}`})`,
    };
  const [python] = probe.stdout.trim().split('\n');
  return { python: python };
}

/** `python` is the interpreter command to try (tests pass a missing one to see the skip). */
export async function startMoto(ctx: StartContext, python = 'python3'): Promise<StartOutcome> {
  const found = findPython(python);
  if ('skipped' in found) return found;
  const port = await freePort();
  const proc = await spawnServer(
    {
      label: 'moto',
      command: found.python,
      args: ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
      cwd: ctx.repoRoot,
      ready: /Running on http:\/\/([^:\s]+):(\d+)/,
      timeoutMs: 60_000,
    },
    ctx,
  );
  const host = '127.0.0.1';
  const credentials: Credentials = {
    accessKeyId: 'AKIAMOTOBENCH0000000',
    secretAccessKey: 'moto-bench-secret-key-0000000000000000000',
  };
  const admin = createHttpPool({ host, port, maxSockets: 4, timeoutMs: 60_000 });
  const s3 = createS3Ops(admin, createSigner({ credentials, region: REGION, service: 's3', host: `${host}:${port}` }));
  const running = proc;
  const server: BenchServer = {
    name: 'moto',
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
    },
  };
  return { server };
}
