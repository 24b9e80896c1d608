/**
 * The load generator: a fixed number of workers, each running one operation at a time, until a
 * count or a time bound is reached (whichever comes first). It records each operation's latency,
 * the errors (count and the first few messages) and the client's own CPU time.
 */

export interface LoadPlan {
  concurrency: number;
  /** Stop starting operations after this many. */
  maxOps: number;
  /** Stop starting operations after this long. */
  maxMs: number;
  /** One operation; `i` counts from 0 across workers. Resolves when done, rejects on error. */
  op(i: number): Promise<void>;
}

export interface LoadResult {
  /** Operations that completed without error. */
  ops: number;
  errors: number;
  errorSamples: string[];
  /** Latency of each successful operation, ms. */
  latenciesMs: Float64Array;
  elapsedMs: number;
  /** Client process CPU (user + system) during the run, µs. */
  clientCpuMicros: number;
}

const MAX_ERROR_SAMPLES = 5;

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  if (plan.concurrency < 1 || plan.maxOps < 1 || plan.maxMs <= 0) {
    throw new Error(`invalid load plan: concurrency ${plan.concurrency}, maxOps ${plan.maxOps}, maxMs ${plan.maxMs}`);
  }
  const latencies = new Float64Array(plan.maxOps);
  let ok = 0;
  let errors = 0;
  let started = 0;
  const samples: string[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + plan.maxMs;

  const worker = async (): Promise<void> => {
    while (started < plan.maxOps && performance.now() < deadline) {
      const i = started++;
      const s = performance.now();
      try {
        await plan.op(i);
        latencies[ok++] = performance.now() - s;
      } catch (err) {
        errors++;
        if (samples.length < MAX_ERROR_SAMPLES) samples.push((err as Error).message ?? String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.maxOps) }, worker));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    ops: ok,
    errors,
    errorSamples: samples,
    latenciesMs: latencies.slice(0, ok),
    elapsedMs,
    clientCpuMicros: cpu.user + cpu.system,
  };
}

/** The q-quantile (0..1) of latencies, nearest-rank. */
export function quantile(values: Float64Array | number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}
