/**
 * The server's Prometheus metrics (prom-client), served at `/-/metrics` by the listener. One
 * `Registry` per server, made by the composition root and never the library's global one, so
 * two servers in one process (tests) do not mix figures.
 *
 * Each metric names its `aggregator` (how prom-client's AggregatorRegistry merges the figures of
 * several worker processes): counters and histograms are summed, gauges of per-process state
 * (connections, requests in flight) are summed, and gauges of shared state that only one process
 * measures (the blob store, as seen by the orphan sweep) take the maximum. A `--workers` primary
 * can therefore answer with `AggregatorRegistry.clusterMetrics()` over the workers' registries
 * unchanged (see docs/operations.md, "Metrics").
 *
 * The recorders below are the structural interfaces the listener, the SQLite committer, the blob
 * store and the orphan sweep declare themselves, so none of them depends on prom-client.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a request reported (src/http/types.ts RequestFacts, the parts counted here). */
interface Facts {
  operation?: string;
  errorCode?: string;
}

export interface ServerMetrics {
  registry: Registry;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  http: {
    connectionOpened(): void;
    connectionClosed(): void;
    connectionRefused(): void;
    requestStarted(upload: boolean): void;
    requestFinished(
      facts: Facts,
      status: number,
      seconds: number,
      bytesIn: number,
      bytesOut: number,
      upload: boolean,
    ): void;
  };
  commits: { batch(jobs: number): void; walFsync(seconds: number): void };
  blobs: { written(bytes: number): void; deleted(count: number): void };
  sweeps: {
    swept(report: { blobs: number; bytes: number; removed: number; tempRemoved: number }, seconds: number): void;
    failed(): void;
  };
}

/** Seconds: from a cached GET of a small object to a multi-gigabyte upload. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Jobs per COMMIT: the group committer carries at most 64 (src/store/metadata/sqlite/groupCommit.ts). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64];
const FSYNC_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Requests no plane could name (a malformed request, a path no operation serves). */
const UNKNOWN = 'unknown';

/**
 * `worker`: this process is worker N of `serve --workers` (src/workers/): it also counts its own
 * requests under `sailbucket_worker_requests_total{worker="N"}`, so the aggregated scrape shows how
 * the requests spread over the workers.
 */
export function createServerMetrics(opts: { worker?: number } = {}): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const workerRequests =
    opts.worker === undefined
      ? undefined
      : new Counter({
          name: 'sailbucket_worker_requests_total',
          help: 'Requests answered by each worker process (serve --workers).',
          labelNames: ['worker'] as const,
          registers,
          aggregator: 'sum',
        }).labels(String(opts.worker));

  const requests = new Counter({
    name: 'sailbucket_requests_total',
    help: 'Requests answered (or cut), by operation and HTTP status.',
    labelNames: ['operation', 'status'] as const,
    registers,
    aggregator: 'sum',
  });
  const errors = new Counter({
    name: 'sailbucket_request_errors_total',
    help: 'Requests answered with an error, by operation and wire error code.',
    labelNames: ['operation', 'code'] as const,
    registers,
    aggregator: 'sum',
  });
  const duration = new Histogram({
    name: 'sailbucket_request_duration_seconds',
    help: 'Time from a request arriving to its response being done, by operation.',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS,
    registers,
    aggregator: 'sum',
  });
  const bytesIn = new Counter({
    name: 'sailbucket_request_bytes_total',
    help: 'Bytes received in requests (headers and body, before TLS), by operation.',
    labelNames: ['operation'] as const,
    registers,
    aggregator: 'sum',
  });
  const bytesOut = new Counter({
    name: 'sailbucket_response_bytes_total',
    help: 'Bytes sent in responses (headers and body, before TLS), by operation.',
    labelNames: ['operation'] as const,
    registers,
    aggregator: 'sum',
  });
  const inFlight = new Gauge({
    name: 'sailbucket_requests_in_flight',
    help: 'Requests received and not yet answered.',
    registers,
    aggregator: 'sum',
  });
  const uploads = new Gauge({
    name: 'sailbucket_uploads_in_flight',
    help: 'S3 requests with a body (PutObject, UploadPart, PostObject, configuration documents) not yet answered.',
    registers,
    aggregator: 'sum',
  });
  const connections = new Gauge({
    name: 'sailbucket_connections_open',
    help: 'Open client connections.',
    registers,
    aggregator: 'sum',
  });
  const connectionsTotal = new Counter({
    name: 'sailbucket_connections_total',
    help: 'Client connections accepted.',
    registers,
    aggregator: 'sum',
  });
  const refused = new Counter({
    name: 'sailbucket_connections_refused_total',
    help: 'Connections closed on arrival because --max-connections were open.',
    registers,
    aggregator: 'sum',
  });
  const batch = new Histogram({
    name: 'sailbucket_metadata_commit_batch_jobs',
    help: 'Write transactions carried by one metadata COMMIT (group commit).',
    buckets: BATCH_BUCKETS,
    registers,
    aggregator: 'sum',
  });
  const walFsync = new Histogram({
    name: 'sailbucket_metadata_wal_fsync_seconds',
    help: 'Duration of the WAL fsync that makes a metadata COMMIT durable.',
    buckets: FSYNC_BUCKETS,
    registers,
    aggregator: 'sum',
  });
  const blobBytesWritten = new Counter({
    name: 'sailbucket_blob_written_bytes_total',
    help: 'Bytes written to new blobs (object bodies over 64 KiB, parts, copies).',
    registers,
    aggregator: 'sum',
  });
  const blobsWritten = new Counter({
    name: 'sailbucket_blobs_written_total',
    help: 'Blobs written.',
    registers,
    aggregator: 'sum',
  });
  const blobsDeleted = new Counter({
    name: 'sailbucket_blobs_deleted_total',
    help: 'Blobs deleted (replaced or deleted objects, orphans).',
    registers,
    aggregator: 'sum',
  });
  const storeBytes = new Gauge({
    name: 'sailbucket_blob_store_bytes',
    help: 'Bytes of all blob files, as counted by the last orphan sweep.',
    registers,
    aggregator: 'max',
  });
  const storeBlobs = new Gauge({
    name: 'sailbucket_blob_store_blobs',
    help: 'Blob files, as counted by the last orphan sweep.',
    registers,
    aggregator: 'max',
  });
  const sweeps = new Counter({
    name: 'sailbucket_blob_sweeps_total',
    help: 'Orphan sweeps, by result.',
    labelNames: ['result'] as const,
    registers,
    aggregator: 'sum',
  });
  const sweepRemoved = new Counter({
    name: 'sailbucket_blob_sweep_removed_total',
    help: 'Files removed by the orphan sweep: orphan blobs and stale temporary files.',
    labelNames: ['kind'] as const,
    registers,
    aggregator: 'sum',
  });
  const sweepSeconds = new Gauge({
    name: 'sailbucket_blob_sweep_duration_seconds',
    help: 'Duration of the last orphan sweep.',
    registers,
    aggregator: 'max',
  });
  const sweepLast = new Gauge({
    name: 'sailbucket_blob_sweep_last_success_timestamp_seconds',
    help: 'When the last orphan sweep ended (Unix time).',
    registers,
    aggregator: 'max',
  });

  /** Labelled children per operation (and status or code), made once: no label hashing per request. */
  const perOperation = new Map<
    string,
    { duration: Histogram.Internal<'operation'>; bytesIn: Counter.Internal; bytesOut: Counter.Internal }
  >();
  const perStatus = new Map<string, Counter.Internal>();
  const perError = new Map<string, Counter.Internal>();
  const opChildren = (operation: string) => {
    let c = perOperation.get(operation);
    if (c === undefined) {
      c = {
        duration: duration.labels(operation),
        bytesIn: bytesIn.labels(operation),
        bytesOut: bytesOut.labels(operation),
      };
      perOperation.set(operation, c);
    }
    return c;
  };
  const keyed = <T>(map: Map<string, T>, a: string, b: string, make: () => T): T => {
    const k = a + ' ' + b;
    let c = map.get(k);
    if (c === undefined) {
      c = make();
      map.set(k, c);
    }
    return c;
  };

  return {
    registry,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    http: {
      connectionOpened() {
        connections.inc();
        connectionsTotal.inc();
      },
      connectionClosed() {
        connections.dec();
      },
      connectionRefused() {
        refused.inc();
      },
      requestStarted(upload) {
        inFlight.inc();
        if (upload) uploads.inc();
      },
      requestFinished(facts, status, seconds, inBytes, outBytes, upload) {
        inFlight.dec();
        if (upload) uploads.dec();
        workerRequests?.inc();
        const operation = facts.operation ?? UNKNOWN;
        const c = opChildren(operation);
        c.duration.observe(seconds);
        c.bytesIn.inc(inBytes);
        c.bytesOut.inc(outBytes);
        const statusText = String(status);
        keyed(perStatus, operation, statusText, () => requests.labels(operation, statusText)).inc();
        const code = facts.errorCode;
        if (code !== undefined) keyed(perError, operation, code, () => errors.labels(operation, code)).inc();
      },
    },
    commits: {
      batch(jobs) {
        batch.observe(jobs);
      },
      walFsync(seconds) {
        walFsync.observe(seconds);
      },
    },
    blobs: {
      written(bytes) {
        blobsWritten.inc();
        blobBytesWritten.inc(bytes);
      },
      deleted(count) {
        blobsDeleted.inc(count);
      },
    },
    sweeps: {
      swept(report, seconds) {
        sweeps.labels('ok').inc();
        sweepRemoved.labels('orphan').inc(report.removed);
        sweepRemoved.labels('temp').inc(report.tempRemoved);
        storeBytes.set(report.bytes);
        storeBlobs.set(report.blobs);
        sweepSeconds.set(seconds);
        sweepLast.set(Date.now() / 1000);
      },
      failed() {
        sweeps.labels('failed').inc();
      },
    },
  };
}
