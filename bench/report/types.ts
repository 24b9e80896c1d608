import type { ServerName } from '../servers/types.js';

/** One measured run of one case on one server. */
export interface RunMeasurement {
  round: number;
  ops: number;
  errors: number;
  elapsedMs: number;
  opsPerSec: number;
  mibPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Server process CPU (utime + stime, all threads) during the run ÷ operations. */
  serverCpuUsPerOp: number;
  /** The server's main thread only (for Node: the event loop; the rest is the libuv pool, GC and I/O threads). */
  serverMainThreadCpuUsPerOp: number;
  /** Harness process CPU during the run ÷ operations. */
  clientCpuUsPerOp: number;
  /** Server peak RSS during the run (VmHWM after a reset, or sampled VmRSS). */
  peakRssMiB: number;
  /** ops/s ÷ the trivial server's ops/s in the same round. */
  ratioToTrivial?: number;
  /** ops/s ÷ the floor reference's ops/s in the same round (cases the floor runs). */
  ratioToFloor?: number;
}

export interface CaseSummary {
  ops: number;
  errors: number;
  /** Medians over the rounds. */
  opsPerSec: number;
  mibPerSec: number;
  /** Over every latency of every round. */
  p50Ms: number;
  p99Ms: number;
  /** Total CPU ÷ total operations over the rounds. */
  serverCpuUsPerOp: number;
  serverMainThreadCpuUsPerOp: number;
  clientCpuUsPerOp: number;
  /** Highest over the rounds. */
  peakRssMiB: number;
  /** Medians of the per-round ratios. */
  ratioToTrivial?: number;
  ratioToFloor?: number;
}

export interface ServerCaseResult {
  server: ServerName;
  /** ok: measured; unsupported: the server lacks the feature (reason says which); failed: set-up or a run broke. */
  status: 'ok' | 'unsupported' | 'failed';
  reason?: string;
  rounds: RunMeasurement[];
  warmupErrors: number;
  errorSamples: string[];
  summary?: CaseSummary;
}

export interface CaseResult {
  id: string;
  title: string;
  concurrency: number;
  client: 'node' | 'wrk';
  servers: ServerCaseResult[];
}

export interface ServerStatus {
  name: ServerName;
  status: 'running' | 'skipped' | 'failed';
  reason?: string;
  pid?: number;
  endpoint?: string;
}

export interface TargetCheck {
  what: string;
  limit: string;
  measured: string;
  met: boolean | null;
}

export interface ScalingPoint {
  objects: number;
  case: 'list-page-first' | 'list-page-middle' | 'get-random-key' | 'put-4k';
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerOp: number;
  errors: number;
}

export interface BigObjectResult {
  server: ServerName;
  sizeMiB: number;
  rssBeforeMiB: number;
  peakDuringPutMiB: number;
  peakDuringGetMiB: number;
  /** max(peak during put, peak during get) − RSS before. */
  peakGrowthMiB: number;
  putSeconds: number;
  getSeconds: number;
  bodyIntact: boolean;
}

export interface ScalingReport {
  server: ServerName;
  curve: ScalingPoint[];
  seedSeconds: number[];
  big?: BigObjectResult;
  error?: string;
}

export interface BenchReport {
  version: 1;
  /** False while the run is still going (or when it was stopped). */
  complete: boolean;
  /** Git commit of the code measured (`+dirty` with uncommitted changes). */
  revision: string;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  pinning: { client: string; servers: string } | { off: string };
  options: Record<string, unknown>;
  servers: ServerStatus[];
  cases: CaseResult[];
  scaling: ScalingReport[];
  targets: TargetCheck[];
  /** Lines that explain what was skipped and why. */
  notes: string[];
}
