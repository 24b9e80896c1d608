/**
 * One measured run: snapshots the server's CPU and resets its peak RSS, runs the load, and turns
 * the result into ops/s, MiB/s, latency quantiles, CPU per operation (server and client) and peak RSS.
 */
import { quantile, runLoad, type LoadPlan, type LoadResult } from './loadGen.js';
import type { ProcStats } from './procStats.js';
import type { RunMeasurement } from './report/types.js';

const MiB = 1024 * 1024;
const RSS_SAMPLE_MS = 50;

export interface MeasuredRun {
  measurement: RunMeasurement;
  load: LoadResult;
}

export async function measureRun(
  proc: ProcStats,
  pid: number,
  plan: LoadPlan,
  bytesPerOp: number,
  round: number,
): Promise<MeasuredRun> {
  const sampler = proc.sampleRss(pid, RSS_SAMPLE_MS);
  const reset = proc.resetPeak(pid);
  const cpu0 = proc.cpuMicros(pid);
  const main0 = proc.mainThreadCpuMicros(pid);
  const load = await runLoad(plan);
  const cpu1 = proc.cpuMicros(pid);
  const main1 = proc.mainThreadCpuMicros(pid);
  const sampled = sampler.stop();
  const peakKiB = Math.max(sampled, reset ? proc.statusKiB(pid, 'VmHWM') : 0);
  const seconds = load.elapsedMs / 1000;
  const ops = load.ops;
  return {
    load,
    measurement: {
      round,
      ops,
      errors: load.errors,
      elapsedMs: load.elapsedMs,
      opsPerSec: ops / seconds,
      mibPerSec: (ops * bytesPerOp) / MiB / seconds,
      p50Ms: quantile(load.latenciesMs, 0.5),
      p99Ms: quantile(load.latenciesMs, 0.99),
      serverCpuUsPerOp: ops > 0 ? (cpu1 - cpu0) / ops : NaN,
      serverMainThreadCpuUsPerOp: ops > 0 ? (main1 - main0) / ops : NaN,
      clientCpuUsPerOp: ops > 0 ? load.clientCpuMicros / ops : NaN,
      peakRssMiB: peakKiB / 1024,
    },
  };
}
