import type { Credentials } from '../signer.js';

/**
 * `sailbucket` runs at the default (durable) configuration and is compared with `floor`;
 * `sailbucket-relaxed` runs with `--durability relaxed` and is compared with the peers, which do not fsync;
 * `sailbucket-workers2` is the default configuration with `--workers 2` (compared with `sailbucket`);
 * `sailbucket-postgres` is PostgreSQL mode (`--metadata-url`, a durable throwaway cluster; compared with `sailbucket`).
 */
/** Every server, in the order they start and appear in reports. */
export const SERVER_NAMES = [
  'sailbucket',
  'sailbucket-relaxed',
  'sailbucket-workers2',
  'sailbucket-postgres',
  's3rver',
  'moto',
  'floor',
  'trivial',
] as const;

export type ServerName = (typeof SERVER_NAMES)[number];

/** A server under test, running as its own process on 127.0.0.1. */
export interface BenchServer {
  name: ServerName;
  pid: number;
  host: string;
  port: number;
  region: string;
  /** Speaks the Lightsail control plane (Sailbucket; the trivial server answers anything). */
  controlPlane: boolean;
  /** The no-auth, no-storage ceiling. */
  trivial: boolean;
  /** The mandatory-work reference (floorMain.ts): runs only the cases marked `floor`. */
  floor?: boolean;
  /** Account credentials: Lightsail calls and S3 on every bucket. */
  credentials: Credentials;
  /** Makes a bucket; returns the credentials that S3 requests on it are signed with. */
  createBucket(name: string): Promise<Credentials>;
  /** Trivial server only: the body size of its GET answers from now on. */
  setGetBodyBytes?(bytes: number): Promise<void>;
  /** Last lines the server wrote to stderr (for error messages). */
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartContext {
  repoRoot: string;
  /** CPU list (taskset -c syntax) to pin the server to, if pinning. */
  cpu?: string;
  tasksetPath?: string;
  /** Extra node flags for Sailbucket (e.g. --cpu-prof --cpu-prof-dir DIR). */
  sailbucketNodeArgs?: string[];
  /** Extra node flags for the floor reference (e.g. --perf-basic-prof). */
  floorNodeArgs?: string[];
}

/** Result of trying to start a server that may be absent on this machine. */
export type StartOutcome = { server: BenchServer } | { skipped: string };
