/**
 * The read cases again with wrk as the client (GET 4 KiB, GET 1 MiB): one seeded object per server,
 * one presigned URL, warm-up then interleaved rounds like the Node cases. HEAD is not run with wrk:
 * wrk 4.1 waits for a body of Content-Length bytes after a HEAD answer and stalls or counts errors.
 */
import { randomBytes } from 'node:crypto';
import { referenceRounds, summarizeRounds } from './caseRunner.js';
import { createHttpPool } from './httpPool.js';
import type { BenchOptions } from './options.js';
import type { ProcStats } from './procStats.js';
import type { CaseResult, RunMeasurement, ServerCaseResult } from './report/types.js';
import { createS3Ops } from './s3Ops.js';
import type { BenchServer } from './servers/types.js';
import { createSigner, objectPath, sha256Hex } from './signer.js';
import { runWrk, type WrkResult } from './wrk.js';

const MiB = 1024 * 1024;
const PRESIGN_SECONDS = 3600;

export interface WrkCase {
  id: string;
  title: string;
  method: 'GET' | 'HEAD';
  size: number;
}

export const WRK_CASES: readonly WrkCase[] = [
  { id: 'get-4k', title: 'GET 4 KiB', method: 'GET', size: 4096 },
  { id: 'get-1m', title: 'GET 1 MiB', method: 'GET', size: MiB },
];

interface Ready {
  server: BenchServer;
  url: string;
  result: ServerCaseResult;
}

async function prepare(
  c: WrkCase,
  server: BenchServer,
  uniqueName: (p: string) => string,
): Promise<Ready | ServerCaseResult> {
  const result: ServerCaseResult = { server: server.name, status: 'ok', rounds: [], warmupErrors: 0, errorSamples: [] };
  const pool = createHttpPool({ host: server.host, port: server.port, maxSockets: 2, timeoutMs: 60_000 });
  try {
    const bucket = uniqueName('wrk');
    const creds = await server.createBucket(bucket);
    const signer = createSigner({
      credentials: creds,
      region: server.region,
      service: 's3',
      host: `${server.host}:${server.port}`,
    });
    const key = `wrk/${c.id}`;
    const body = randomBytes(c.size);
    if (!server.trivial)
      await createS3Ops(pool, signer).putObject(bucket, key, body, { kind: 'sha256', sha256: sha256Hex(body) });
    await server.setGetBodyBytes?.(c.size);
    const path = signer.presign({ method: c.method, path: objectPath(bucket, key) }, PRESIGN_SECONDS);
    const check = await pool.send({
      method: c.method,
      url: path,
      headers: { host: `${server.host}:${server.port}` },
      keepBodyBytes: 512,
    });
    if (check.status !== 200)
      throw new Error(`presigned ${c.method} answered HTTP ${check.status}: ${check.body.toString('utf8', 0, 300)}`);
    return { server, url: `http://${server.host}:${server.port}${path}`, result };
  } catch (err) {
    return { ...result, status: 'failed', reason: `set-up failed: ${(err as Error).message}` };
  } finally {
    pool.close();
  }
}

function toMeasurement(
  w: WrkResult,
  c: WrkCase,
  round: number,
  cpuMicros: number,
  mainMicros: number,
  peakKiB: number,
): RunMeasurement {
  const s = w.elapsedMs / 1000;
  return {
    round,
    ops: w.requests,
    errors: w.errors,
    elapsedMs: w.elapsedMs,
    opsPerSec: w.requestsPerSec,
    mibPerSec: c.method === 'HEAD' ? 0 : (w.requests * c.size) / MiB / s,
    p50Ms: w.p50Ms,
    p99Ms: w.p99Ms,
    serverCpuUsPerOp: w.requests > 0 ? cpuMicros / w.requests : NaN,
    serverMainThreadCpuUsPerOp: w.requests > 0 ? mainMicros / w.requests : NaN,
    clientCpuUsPerOp: w.requests > 0 ? w.clientCpuMicros / w.requests : NaN,
    peakRssMiB: peakKiB / 1024,
  };
}

export async function runWrkCase(
  c: WrkCase,
  servers: BenchServer[],
  proc: ProcStats,
  opts: BenchOptions,
  wrk: string,
  scratchDir: string,
  uniqueName: (p: string) => string,
  say: (line: string) => void,
): Promise<CaseResult> {
  const results: ServerCaseResult[] = [];
  const ready: Ready[] = [];
  for (const server of servers) {
    const p = await prepare(c, server, uniqueName);
    if ('url' in p) {
      ready.push(p);
      results.push(p.result);
    } else results.push(p);
  }
  const once = async (r: Ready, seconds: number, round: number): Promise<RunMeasurement> => {
    const sampler = proc.sampleRss(r.server.pid, 50);
    const reset = proc.resetPeak(r.server.pid);
    const cpu0 = proc.cpuMicros(r.server.pid);
    const main0 = proc.mainThreadCpuMicros(r.server.pid);
    const w = await runWrk(wrk, scratchDir, r.url, c.method, opts.concurrency, seconds);
    const cpu = proc.cpuMicros(r.server.pid) - cpu0;
    const main = proc.mainThreadCpuMicros(r.server.pid) - main0;
    const peak = Math.max(sampler.stop(), reset ? proc.statusKiB(r.server.pid, 'VmHWM') : 0);
    if (w.errors > 0 && r.result.errorSamples.length < 5) r.result.errorSamples.push(`wrk: ${w.errorSummary}`);
    return toMeasurement(w, c, round, cpu, main, peak);
  };
  for (const r of ready) {
    try {
      r.result.warmupErrors += (await once(r, opts.warmupSeconds, 0)).errors;
    } catch (err) {
      r.result.status = 'failed';
      r.result.reason = (err as Error).message;
    }
  }
  for (let round = 1; round <= opts.rounds; round++) {
    for (const r of ready.filter((x) => x.result.status === 'ok')) {
      try {
        const m = await once(r, opts.seconds, round);
        r.result.rounds.push(m);
        say(`  ${c.id}@wrk round ${round} ${r.server.name}: ${m.opsPerSec.toFixed(0)} ops/s`);
      } catch (err) {
        r.result.status = 'failed';
        r.result.reason = (err as Error).message;
      }
    }
  }
  const refs = referenceRounds(ready);
  for (const r of ready) summarizeRounds(r.result, refs);
  return {
    id: `${c.id}@wrk`,
    title: `${c.title} (wrk, presigned URL)`,
    concurrency: opts.concurrency,
    client: 'wrk',
    servers: results,
  };
}
