/**
 * Runs one case on every server, interleaved: set-up on each server (bucket, seed, probe), one
 * warm-up run per server, then `rounds` × (A B C D …). Ratios compare each server with the trivial
 * server and with the floor reference in the same round.
 */
import { randomBytes } from 'node:crypto';
import type { BenchCase, CaseEnv, CaseInstance } from './cases/types.js';
import { createControlOps } from './controlOps.js';
import { createHttpPool, type HttpPool } from './httpPool.js';
import { median, quantile, type LoadPlan } from './loadGen.js';
import { measureRun } from './measure.js';
import type { BenchOptions } from './options.js';
import type { ProcStats } from './procStats.js';
import type { CaseResult, RunMeasurement, ServerCaseResult } from './report/types.js';
import { createS3Ops } from './s3Ops.js';
import type { BenchServer } from './servers/types.js';
import { createSigner } from './signer.js';

const SEED_CONCURRENCY = 16;
const COUNTED_RUN_MAX_MS = 300_000;
const MAX_ERROR_SAMPLES = 5;

interface Active {
  server: BenchServer;
  env: CaseEnv;
  inst: CaseInstance;
  result: ServerCaseResult;
  pool: HttpPool;
  latencies: number[];
}

async function boundedParallel(count: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

export function uniqueNamer(): (prefix: string) => string {
  let n = 0;
  const run = randomBytes(3).toString('hex');
  return (prefix) => `bench-${prefix}-${run}-${n++}`;
}

async function prepare(
  c: BenchCase,
  server: BenchServer,
  opts: BenchOptions,
  uniqueName: (p: string) => string,
): Promise<Active | ServerCaseResult> {
  const result: ServerCaseResult = { server: server.name, status: 'ok', rounds: [], warmupErrors: 0, errorSamples: [] };
  if (server.floor && !c.floor)
    return {
      ...result,
      status: 'unsupported',
      reason: 'not part of the floor (it does PUT, GET and HEAD of one object)',
    };
  if (c.controlPlane && !server.controlPlane)
    return { ...result, status: 'unsupported', reason: 'no Lightsail control plane' };
  const pool = createHttpPool({
    host: server.host,
    port: server.port,
    maxSockets: opts.concurrency,
    timeoutMs: 120_000,
  });
  const host = `${server.host}:${server.port}`;
  try {
    const bucket = uniqueName(c.id.split('-')[0]);
    const creds = await server.createBucket(bucket);
    const env: CaseEnv = {
      server,
      pool,
      bucket,
      sizes: opts.sizes,
      concurrency: opts.concurrency,
      uniqueName,
      s3: createS3Ops(pool, createSigner({ credentials: creds, region: server.region, service: 's3', host })),
      control: createControlOps(
        pool,
        createSigner({ credentials: server.credentials, region: server.region, service: 'lightsail', host }),
      ),
      seed: (count, fn) => (server.trivial ? Promise.resolve() : boundedParallel(count, SEED_CONCURRENCY, fn)),
    };
    await server.setGetBodyBytes?.(c.trivialGetBytes(opts.sizes));
    const inst = await c.setup(env);
    const unsupported = await c.probe?.(env);
    if (unsupported) {
      pool.close();
      return { ...result, status: 'unsupported', reason: unsupported };
    }
    return { server, env, inst, result, pool, latencies: [] };
  } catch (err) {
    pool.close();
    return { ...result, status: 'failed', reason: `set-up failed: ${(err as Error).message}` };
  }
}

function fail(a: Active, err: unknown): void {
  a.result.status = 'failed';
  a.result.reason = `${(err as Error).message}${a.server.trivial ? '' : `\n  server log tail: ${a.server.logTail().slice(-600)}`}`;
}

export async function runCase(
  c: BenchCase,
  servers: BenchServer[],
  proc: ProcStats,
  opts: BenchOptions,
  uniqueName: (p: string) => string,
  progress: (line: string) => void,
): Promise<CaseResult> {
  const results: ServerCaseResult[] = [];
  const active: Active[] = [];
  for (const server of servers) {
    const p = await prepare(c, server, opts, uniqueName);
    if ('inst' in p) {
      active.push(p);
      results.push(p.result);
    } else results.push(p);
  }
  const counted = c.opsPerRun?.(opts.sizes);
  const plan = (a: Active, warmup: boolean): LoadPlan => ({
    concurrency: opts.concurrency,
    maxOps: counted !== undefined ? (warmup ? 1 : counted) : opts.maxOps,
    maxMs: counted !== undefined ? COUNTED_RUN_MAX_MS : (warmup ? opts.warmupSeconds : opts.seconds) * 1000,
    op: (i) => a.inst.op(i),
  });
  const bytesPerOp = c.bytesPerOp(opts.sizes);
  const live = (): Active[] => active.filter((a) => a.result.status === 'ok');
  if (opts.warmupSeconds > 0) {
    for (const a of live()) {
      try {
        const p = plan(a, true);
        await a.inst.prepareRun?.(p.maxOps);
        const m = await measureRun(proc, a.server.pid, p, bytesPerOp, 0);
        a.result.warmupErrors += m.load.errors;
        a.result.errorSamples.push(...m.load.errorSamples.slice(0, MAX_ERROR_SAMPLES - a.result.errorSamples.length));
      } catch (err) {
        fail(a, err);
      }
    }
  }
  for (let round = 1; round <= opts.rounds; round++) {
    for (const a of live()) {
      try {
        const p = plan(a, false);
        await a.inst.prepareRun?.(p.maxOps);
        const m = await measureRun(proc, a.server.pid, p, bytesPerOp, round);
        a.result.rounds.push(m.measurement);
        for (const l of m.load.latenciesMs) a.latencies.push(l);
        a.result.errorSamples.push(...m.load.errorSamples.slice(0, MAX_ERROR_SAMPLES - a.result.errorSamples.length));
        progress(
          `  ${c.id} round ${round} ${a.server.name}: ${m.measurement.opsPerSec.toFixed(0)} ops/s${m.measurement.errors ? `, ${m.measurement.errors} errors` : ''}`,
        );
      } catch (err) {
        fail(a, err);
      }
    }
  }
  for (const a of active) a.pool.close();
  summarize(active);
  return { id: c.id, title: c.title(opts.sizes), concurrency: opts.concurrency, client: 'node', servers: results };
}

function summarize(active: Active[]): void {
  const refs = referenceRounds(active);
  for (const a of active) summarizeRounds(a.result, refs, Float64Array.from(a.latencies));
}

/** The rounds each server is compared with: the trivial server's and the floor's (when it ran the case). */
export interface ReferenceRounds {
  trivial?: RunMeasurement[];
  floor?: RunMeasurement[];
}

export function referenceRounds(ran: { server: BenchServer; result: ServerCaseResult }[]): ReferenceRounds {
  const rounds = (r: { result: ServerCaseResult } | undefined) =>
    r && r.result.status === 'ok' ? r.result.rounds : undefined;
  return {
    trivial: rounds(ran.find((a) => a.server.trivial)),
    floor: rounds(ran.find((a) => a.server.floor)),
  };
}

/**
 * Fills each round's ratios to the trivial server and to the floor (same round number) and the
 * summary: medians of ops/s and MiB/s, latency quantiles over every latency (or, without them, the
 * median p50 and the highest p99 of the rounds), CPU totals ÷ operations, the highest peak RSS, the
 * median ratios.
 */
export function summarizeRounds(result: ServerCaseResult, refs: ReferenceRounds, latencies?: Float64Array): void {
  const rounds = result.rounds;
  if (rounds.length === 0) return;
  for (const r of rounds) {
    const t = refs.trivial?.find((x) => x.round === r.round);
    if (t && t.opsPerSec > 0) r.ratioToTrivial = r.opsPerSec / t.opsPerSec;
    const f = refs.floor?.find((x) => x.round === r.round);
    if (f && f.opsPerSec > 0) r.ratioToFloor = r.opsPerSec / f.opsPerSec;
  }
  const ops = rounds.reduce((n, r) => n + r.ops, 0);
  const perOp = (f: (r: RunMeasurement) => number): number =>
    ops > 0 ? rounds.reduce((n, r) => n + (r.ops > 0 ? f(r) * r.ops : 0), 0) / ops : NaN;
  const ratios = rounds.map((r) => r.ratioToTrivial).filter((x): x is number => x !== undefined);
  const floorRatios = rounds.map((r) => r.ratioToFloor).filter((x): x is number => x !== undefined);
  result.summary = {
    ops,
    errors: rounds.reduce((n, r) => n + r.errors, 0) + result.warmupErrors,
    opsPerSec: median(rounds.map((r) => r.opsPerSec)),
    mibPerSec: median(rounds.map((r) => r.mibPerSec)),
    p50Ms: latencies ? quantile(latencies, 0.5) : median(rounds.map((r) => r.p50Ms)),
    p99Ms: latencies ? quantile(latencies, 0.99) : Math.max(...rounds.map((r) => r.p99Ms)),
    serverCpuUsPerOp: perOp((r) => r.serverCpuUsPerOp),
    serverMainThreadCpuUsPerOp: perOp((r) => r.serverMainThreadCpuUsPerOp),
    clientCpuUsPerOp: perOp((r) => r.clientCpuUsPerOp),
    peakRssMiB: Math.max(...rounds.map((r) => r.peakRssMiB)),
    ...(ratios.length > 0 ? { ratioToTrivial: median(ratios) } : {}),
    ...(floorRatios.length > 0 ? { ratioToFloor: median(floorRatios) } : {}),
  };
}
