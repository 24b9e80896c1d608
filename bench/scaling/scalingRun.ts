/**
 * Scaling runs on one server: the bucket is grown (empty objects, PUT through the S3 API) to each
 * configured size, and at each size we measure the first ListObjectsV2 page, a page from the
 * middle (start-after), GET of existing keys spread over the bucket (empty objects: the lookup, not
 * the body) and PUT 4 KiB of new keys. Then the peak RSS
 * of a big object's upload and download.
 */
import { randomBytes } from 'node:crypto';
import { createHttpPool } from '../httpPool.js';
import type { LoadPlan } from '../loadGen.js';
import { measureRun } from '../measure.js';
import type { BenchOptions } from '../options.js';
import type { ProcStats } from '../procStats.js';
import type { ScalingPoint, ScalingReport } from '../report/types.js';
import { createS3Ops } from '../s3Ops.js';
import type { BenchServer } from '../servers/types.js';
import { createSigner, sha256Hex } from '../signer.js';
import { measureBigObject } from './bigObject.js';

const SEED_CONCURRENCY = 32;
const PAGE = 1000;
const EMPTY = Buffer.alloc(0);
const keyOf = (i: number): string => `obj/${String(i).padStart(8, '0')}`;

export async function runScaling(
  server: BenchServer,
  proc: ProcStats,
  opts: BenchOptions,
  uniqueName: (p: string) => string,
  say: (line: string) => void,
  onProgress: (partial: ScalingReport) => void = () => undefined,
): Promise<ScalingReport> {
  const report: ScalingReport = { server: server.name, curve: [], seedSeconds: [] };
  const pool = createHttpPool({
    host: server.host,
    port: server.port,
    maxSockets: Math.max(opts.concurrency, SEED_CONCURRENCY),
    timeoutMs: 600_000,
  });
  try {
    const bucket = uniqueName('scale');
    const creds = await server.createBucket(bucket);
    const signer = createSigner({
      credentials: creds,
      region: server.region,
      service: 's3',
      host: `${server.host}:${server.port}`,
    });
    const s3 = createS3Ops(pool, signer);
    const emptySha = sha256Hex(EMPTY);
    const body4k = randomBytes(4096);
    const sha4k = sha256Hex(body4k);
    let seeded = 0;
    for (const size of opts.scaleSizes) {
      const t0 = performance.now();
      let next = seeded;
      const worker = async (): Promise<void> => {
        while (next < size) {
          const i = next++;
          await s3.putObject(bucket, keyOf(i), EMPTY, { kind: 'sha256', sha256: emptySha });
        }
      };
      await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
      seeded = size;
      const seedSeconds = (performance.now() - t0) / 1000;
      report.seedSeconds.push(seedSeconds);
      say(`  scaling: bucket holds ${size} objects (seeded in ${seedSeconds.toFixed(1)} s)`);
      const middle = keyOf(Math.floor(size / 2));
      const ops: { name: ScalingPoint['case']; op: (i: number) => Promise<void> }[] = [
        {
          name: 'list-page-first',
          op: async () => {
            await s3.listObjectsV2(bucket, 'obj/', PAGE);
          },
        },
        {
          name: 'list-page-middle',
          op: async () => {
            await s3.listObjectsV2(bucket, 'obj/', PAGE, middle);
          },
        },
        {
          name: 'get-random-key',
          op: async (i) => {
            await s3.getObject(bucket, keyOf((i * 7919) % size), 0);
          },
        },
        {
          name: 'put-4k',
          op: async (i) => {
            await s3.putObject(bucket, `put/${size}/${i}`, body4k, { kind: 'sha256', sha256: sha4k });
          },
        },
      ];
      for (const { name, op } of ops) {
        const plan: LoadPlan = {
          concurrency: opts.concurrency,
          maxOps: opts.maxOps,
          maxMs: opts.scaleSeconds * 1000,
          op,
        };
        const { measurement: m, load } = await measureRun(proc, server.pid, plan, 0, 0);
        report.curve.push({
          objects: size,
          case: name,
          opsPerSec: m.opsPerSec,
          p50Ms: m.p50Ms,
          p99Ms: m.p99Ms,
          serverCpuUsPerOp: m.serverCpuUsPerOp,
          errors: m.errors,
        });
        if (load.errors > 0) say(`  scaling ${name} at ${size}: ${load.errors} errors, e.g. ${load.errorSamples[0]}`);
      }
      onProgress(report);
    }
    if (opts.bigMiB > 0) {
      say(`  scaling: ${opts.bigMiB} MiB upload and download`);
      report.big = await measureBigObject(server, pool, signer, proc, bucket, opts.bigMiB);
    }
  } catch (err) {
    report.error = `${(err as Error).message}${server.trivial ? '' : `\n  server log tail: ${server.logTail().slice(-600)}`}`;
  } finally {
    pool.close();
  }
  return report;
}
