import type { ControlOps } from '../controlOps.js';
import type { HttpPool } from '../httpPool.js';
import type { S3Ops } from '../s3Ops.js';
import type { BenchServer } from '../servers/types.js';

/** Sizes and counts the cases use (all configurable from the command line). */
export interface CaseSizes {
  listKeys: number;
  deleteKeys: number;
  /** DeleteObjects requests per run (each needs `deleteKeys` fresh objects seeded first). */
  deleteBatches: number;
  multipartMiB: number;
  /** Multipart uploads per run. */
  multipartUploads: number;
  /** CreateBucketAccessKey calls per run (each bucket takes two keys). */
  controlCreateOps: number;
  /** Distinct keys PUT cases cycle over (objects are overwritten). */
  putKeySpace: number;
}

/** What a case gets for one server: a bucket, signed S3 and control requests on the load pool. */
export interface CaseEnv {
  server: BenchServer;
  pool: HttpPool;
  bucket: string;
  /** S3 requests signed with the bucket's credentials. */
  s3: S3Ops;
  /** Lightsail requests signed with the account credentials. */
  control: ControlOps;
  sizes: CaseSizes;
  concurrency: number;
  /** Runs fn(0..count-1) with bounded parallelism; does nothing on the storage-less trivial server. */
  seed(count: number, fn: (i: number) => Promise<unknown>): Promise<void>;
  /** A name unique within this harness run (for buckets). */
  uniqueName(prefix: string): string;
}

export interface CaseInstance {
  /** Unmeasured work before a run of up to `plannedOps` operations (e.g. seeding objects to delete). */
  prepareRun?(plannedOps: number): Promise<void>;
  op(i: number): Promise<void>;
}

export interface BenchCase {
  id: string;
  title(sizes: CaseSizes): string;
  /** Payload bytes moved per operation (for MiB/s). */
  bytesPerOp(sizes: CaseSizes): number;
  /** The size of the trivial server's GET answer during this case. */
  trivialGetBytes(sizes: CaseSizes): number;
  /** Operations per run when each one needs fresh state (otherwise bounded by the run's limits). */
  opsPerRun?(sizes: CaseSizes): number;
  /** Only servers with a Lightsail control plane run it. */
  controlPlane?: boolean;
  /** The floor reference runs it (PUT, GET and HEAD of one object: the work the floor defines). */
  floor?: boolean;
  /** Why this server cannot run the case, or undefined. Runs after setup. */
  probe?(env: CaseEnv): Promise<string | undefined>;
  setup(env: CaseEnv): Promise<CaseInstance>;
}

export function expectBytes(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: received ${got} body bytes, expected ${want}`);
}
