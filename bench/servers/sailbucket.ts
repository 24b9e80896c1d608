/**
 * Sailbucket at its default configuration (embedded SQLite + filesystem blobs, default durability,
 * default log level) — or, as `sailbucket-relaxed`, the same with `--durability relaxed`, or as
 * `sailbucket-workers2` with `--workers 2`, or as `sailbucket-postgres` with `--metadata-url` (the caller
 * starts the database: sailbucketPostgres.ts) — started from the built `bin/sailbucket.js` on port 0 with a
 * temp data dir. With workers, `pid` is the primary's (the workers are its children).
 * Buckets are made the Lightsail way (CreateBucket, then CreateBucketAccessKey), and S3 requests on
 * a bucket are signed with that bucket's access key, as a Lightsail user would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControlOps } from '../controlOps.js';
import { createHttpPool } from '../httpPool.js';
import { createSigner, type Credentials } from '../signer.js';
import { spawnServer } from './spawnServer.js';
import type { BenchServer, StartContext } from './types.js';

const REGION = 'us-east-1';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export async function startSailbucket(
  ctx: StartContext,
  opts: {
    dataDir?: string;
    durability?: 'durable' | 'relaxed';
    workers?: number;
    /** PostgreSQL mode (`serve --metadata-url`): one node, id `bench`, a random master key. */
    metadataUrl?: string;
  } = {},
): Promise<BenchServer> {
  const name: BenchServer['name'] =
    opts.metadataUrl !== undefined
      ? 'sailbucket-postgres'
      : opts.durability === 'relaxed'
        ? 'sailbucket-relaxed'
        : opts.workers === 2
          ? 'sailbucket-workers2'
          : 'sailbucket';
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sailbucket-bench-'));
  const credentials: Credentials = {
    accessKeyId: 'SBBENCH' + Array.from(randomBytes(13), (b) => ALNUM[b % ALNUM.length]).join(''),
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  let proc;
  try {
    proc = await spawnServer(
      {
        label: name,
        command: process.execPath,
        args: [
          ...(ctx.sailbucketNodeArgs ?? []),
          join(ctx.repoRoot, 'bin', 'sailbucket.js'),
          'serve',
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--data-dir',
          dataDir,
          ...(opts.durability === 'relaxed' ? ['--durability', 'relaxed'] : []),
          ...(opts.workers !== undefined ? ['--workers', String(opts.workers)] : []),
          ...(opts.metadataUrl !== undefined ? ['--metadata-url', opts.metadataUrl, '--node-id', 'bench'] : []),
        ],
        env: {
          ...process.env,
          ...(opts.metadataUrl !== undefined ? { SAILBUCKET_MASTER_KEY: randomBytes(32).toString('base64') } : {}),
          SAILBUCKET_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
          SAILBUCKET_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        },
        cwd: ctx.repoRoot,
        ready: /^sailbucket listening on http:\/\/([^:\s]+):(\d+)/m,
        timeoutMs: 30_000,
      },
      ctx,
    );
  } catch (err) {
    if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const host = proc.match[1];
  const port = Number(proc.match[2]);
  const admin = createHttpPool({ host, port, maxSockets: 4, timeoutMs: 60_000 });
  const control = createControlOps(
    admin,
    createSigner({ credentials, region: REGION, service: 'lightsail', host: `${host}:${port}` }),
  );
  const running = proc;
  return {
    name,
    pid: proc.pid,
    host,
    port,
    region: REGION,
    controlPlane: true,
    trivial: false,
    credentials,
    async createBucket(name) {
      await control.createBucket(name);
      return control.createBucketAccessKey(name);
    },
    logTail: () => running.tail(),
    async stop() {
      admin.close();
      await running.stop();
      if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
