/**
 * The composition root: configuration → stores → domain services → wire protocols → listener.
 * Nothing else in the code base picks a backend or holds process-wide state.
 */
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startupBanner } from './banner.js';
import { ConfigError, type Durability, type ServeOptions } from './config.js';
import { loadIdentity, prepareDataDir, type Identity } from './identity.js';
import { DataDirLocked, lockDataDir, type DataDirLock } from './store/dataDirLock.js';
import { DiskReserve } from './store/diskReserve.js';
import type { MetadataStore } from './domain/ports/MetadataStore.js';
import { createBufferedSink, createLogger, type Logger } from './log.js';
import { closeHttpServer, createHttpServer } from './http/server.js';
import { loadTlsFiles, TlsFileError, type LoadedTls, type TlsFiles } from './http/tlsFiles.js';
import {
  dataDirBackends,
  openBlobStore,
  openCluster,
  openMetadataStore,
  sharedBackends,
  type Cluster,
  type BlobBackend,
  type MetadataBackend,
} from './store/factory.js';
import { NodeIdInUse } from './store/metadata/postgres/cluster/PgNodeRegistry.js';
import { buildServices, MasterKeyMismatch, type Services } from './services.js';
import { createControlPlaneFor, createS3PlaneFor } from './planes.js';
import { createServerMetrics, type ServerMetrics } from './metrics/serverMetrics.js';
import { DeletionHold } from './store/blob/deletionHold.js';
import { startAdminSocket, type AdminSocket } from './admin/socket.js';
import { createConsoleRoutes } from './http/console/route.js';
import { virtualHostBucket } from './s3/router.js';
import { createS3AccessLog } from './s3/accessLog/record.js';
import { lifecycleAccessLogRecord } from './s3/accessLog/lifecycle.js';

export interface App {
  /** http://HOST:PORT actually bound (the real port when --port 0). */
  listenUrl: string;
  /** Human-readable start-up lines printed after the listening line (no secrets). */
  banner: string[];
  log: Logger;
  /**
   * Reads the TLS certificate and key again (SIGHUP) and uses them for new connections; open
   * connections keep theirs. A file that fails leaves the current certificate, with a warning.
   * Undefined when the listener speaks plain HTTP.
   */
  reloadTls?: () => void;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;
/** With several nodes a resolved key is cached 1 s at most, should a change-feed message be lost. */
const SHARED_CREDENTIAL_TTL_MS = 1_000;
/** `/-/ready` waits this long for the metadata database. */
const READY_TIMEOUT_MS = 2_000;

/** Whether the metadata store answers a read now (for `/-/ready`). */
async function probe(store: MetadataStore): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([store.read(async () => true).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A node of a shared installation: the schema is migrated (under an advisory lock) before anything
 * else, then the node claims its id and joins the change feed. Errors become one clear message.
 */
async function joinCluster(
  store: MetadataStore,
  metadata: MetadataBackend,
  nodeId: string,
  log: Logger,
): Promise<Cluster> {
  try {
    await store.read(async () => undefined);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw new ConfigError(`cannot open the metadata database: ${describe(err)}`);
  }
  const cluster = openCluster(metadata, nodeId, log);
  try {
    await cluster.join();
  } catch (err) {
    await cluster.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    if (err instanceof NodeIdInUse) throw new ConfigError(err.message);
    throw new ConfigError(`cannot join the other nodes through the metadata database: ${describe(err)}`);
  }
  return cluster;
}

/** An error's message without a connection string (pg never puts the password in its messages). */
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/**
 * This process is a worker of `serve --workers N` (src/workers/): the primary holds the data
 * directory's lock and did the start-up work once (migrations, temporary files, master key check).
 */
export interface WorkerRole {
  /** Cache invalidations over the cluster's IPC, leadership as the primary assigns it. */
  cluster: Cluster;
  /** Its number (`sailbucket_worker_requests_total{worker}`, log lines). */
  id: number;
  /** The `/-/metrics` renderer of the whole server, given this worker's registry. */
  metrics(registry: ServerMetrics['registry']): () => Promise<{ contentType: string; body: string }>;
}

export async function startApp(
  opts: ServeOptions,
  io: { stderr: NodeJS.WritableStream },
  worker?: WorkerRole,
): Promise<App> {
  // Log lines are written once per event-loop turn; held lines go out on close and before the process exits.
  const sink = createBufferedSink(io.stderr);
  process.on('exit', sink.flush);
  const log = createLogger(sink, opts.logLevel, worker ? { worker: worker.id } : {});
  // Certificate and key first: a bad file stops start-up before the data directory is touched.
  const tlsFiles: TlsFiles | undefined =
    opts.tlsCertFile !== undefined && opts.tlsKeyFile !== undefined
      ? { certFile: resolve(opts.tlsCertFile), keyFile: resolve(opts.tlsKeyFile) }
      : undefined;
  let tls: LoadedTls | undefined;
  try {
    if (tlsFiles) tls = loadTlsFiles(tlsFiles);
  } catch (err) {
    sink.flush();
    process.off('exit', sink.flush);
    if (err instanceof TlsFileError) throw new ConfigError(err.message);
    throw err;
  }
  // Every file and directory this server creates is private to its user (0600/0700).
  process.umask(0o077);
  const dataDir = resolve(opts.dataDir);
  prepareDataDir(dataDir);
  // Several nodes (--metadata-url) share the data directory: no exclusive lock, no disk reserve
  // file of one node's own (see docs/deployment.md); each node's temp files live under its node id.
  const shared = opts.metadataUrl !== undefined;
  let lock: DataDirLock | undefined;
  try {
    if (!shared && !worker) lock = lockDataDir(dataDir);
  } catch (err) {
    sink.flush();
    process.off('exit', sink.flush);
    if (err instanceof DataDirLocked) throw new ConfigError(err.message);
    throw err;
  }
  const reserve = shared ? undefined : new DiskReserve(dataDir, log);
  const metrics = createServerMetrics(worker ? { worker: worker.id } : {});
  let identity: Identity;
  let store: MetadataStore;
  let backends: { metadata: MetadataBackend; blobs: ReturnType<typeof dataDirBackends>['blobs'] };
  let cluster: Cluster | undefined;
  try {
    reserve?.init();
    identity = loadIdentity(opts);
    backends = withDurability(
      opts.metadataUrl
        ? sharedBackends(identity.dataDir, opts.metadataUrl, opts.nodeId)
        : dataDirBackends(identity.dataDir),
      opts.durability,
    );
    store = openMetadataStore(backends.metadata, {
      ...(reserve ? { reserve } : {}),
      commits: metrics.commits,
      onAvailability: (up, err) =>
        up
          ? log.info('metadata database reachable again')
          : log.warn('metadata database unreachable: requests that need it get 503 until it is back', { err }),
    });
    if (shared) cluster = await joinCluster(store, backends.metadata, opts.nodeId, log);
    else if (worker) cluster = worker.cluster;
  } catch (err) {
    lock?.release();
    sink.flush();
    process.off('exit', sink.flush);
    throw err;
  }
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? '';
  let services: Services | undefined;
  let admin: AdminSocket | undefined;
  try {
    // Every blob deletion goes through this hold, so a backup or verify can hold them off.
    const blobs = new DeletionHold(
      openBlobStore(backends.blobs, { ...(reserve ? { reserve } : {}), blobs: metrics.blobs }),
    );
    services = await buildServices({
      opts,
      identity,
      store,
      blobs,
      log,
      publicUrl: () => publicUrl,
      sweepObserver: metrics.sweeps,
      ...(cluster ? { cluster, credentialTtlMs: SHARED_CREDENTIAL_TTL_MS } : {}),
    });
    const running = services;
    running.lifecycle.observe((e) => {
      const record = lifecycleAccessLogRecord(e);
      if (record !== undefined) running.accessLogSpool.add(record);
    });
    const server = createHttpServer({
      log,
      limits: {
        bodyIdleTimeoutMs: opts.bodyIdleTimeoutSeconds * 1000,
        maxConnections: opts.maxConnections,
        unauthenticatedBytes: opts.unauthenticatedBudgetMiB * 1024 * 1024,
      },
      controlPlane: createControlPlaneFor(services),
      s3: createS3PlaneFor(services),
      observer: metrics.http,
      ...(tls ? { tls: tls.options } : {}),
      metrics: {
        render: worker ? worker.metrics(metrics.registry) : () => metrics.render(),
        ...(opts.metricsToken ? { token: opts.metricsToken } : {}),
      },
      ready: () => probe(store),
      console: createConsoleRoutes({
        isBucketHost: (host) => virtualHostBucket(host, opts.baseDomains) !== undefined,
      }),
      requestLog: createS3AccessLog({
        findBucket: (name) => running.buckets.findByName(name),
        spool: running.accessLogSpool,
      }),
    });
    try {
      // A worker leaves the temporary files alone: they may be the other workers' uploads in progress.
      await services.prepare(worker ? { removeTempFiles: false } : {});
    } catch (err) {
      if (err instanceof MasterKeyMismatch) throw new ConfigError(err.message);
      throw err;
    }
    const port = await listen(server, opts.host, opts.port);
    try {
      identity.persist();
    } catch (err) {
      await closeHttpServer(server, 0).catch(() => undefined);
      throw err;
    }
    const listenUrl = `${tls ? 'https' : 'http'}://${urlHost(opts.host)}:${port}`;
    if (publicUrl === '') publicUrl = listenUrl;
    services.start();
    // Backup, verify and master-key rotation work on the embedded store; with PostgreSQL they are
    // pg_dump and the blob directory (docs/deployment.md). Not with workers: a backup holds blob
    // deletions and a rotation switches the master key in one process only (docs/operations.md).
    if (backends.metadata.kind === 'sqlite' && !worker)
      admin = await startAdminSocket(
        {
          dataDir: identity.dataDir,
          metadataPath: backends.metadata.path,
          blobRoot: backends.blobs.root,
          store,
          blobs,
          secretBox: services.secretBox,
          masterKeyFromEnv: identity.masterKeyFromEnv,
        },
        log,
      );
    if (identity.generatedCredentialsFile && !worker) {
      log.info('generated account root credentials', {
        credentialsFile: identity.generatedCredentialsFile,
        profile: 'sailbucket',
        usage: `AWS_SHARED_CREDENTIALS_FILE=${identity.generatedCredentialsFile} AWS_PROFILE=sailbucket aws lightsail get-buckets --endpoint-url ${publicUrl} --region ${opts.region}`,
        cli: `AWS_SHARED_CREDENTIALS_FILE=${identity.generatedCredentialsFile} AWS_PROFILE=sailbucket sailbucket get-buckets --endpoint-url ${publicUrl} --region ${opts.region}`,
      });
    }
    log.info('started', {
      url: listenUrl,
      publicUrl,
      dataDir: identity.dataDir,
      region: opts.region,
      accountId: identity.accountId,
      ...(tls ? { tls: { certFile: tlsFiles!.certFile, ...tls.summary } } : {}),
    });
    const adminSocket = admin;
    const credentialsFile = join(identity.dataDir, 'credentials');
    const banner = startupBanner({
      endpoint: publicUrl,
      region: opts.region,
      dataDir: identity.dataDir,
      accountId: identity.accountId,
      rootFromEnv: opts.rootAccessKeyId !== undefined,
      credentialsFile: existsSync(credentialsFile) ? credentialsFile : undefined,
      baseDomains: opts.baseDomains,
      ...(opts.durability === 'relaxed' ? { relaxed: true } : {}),
      ...(tls
        ? { tls: { certFile: tlsFiles!.certFile, validTo: tls.summary.validTo, selfSigned: tls.summary.selfSigned } }
        : {}),
    });
    return {
      listenUrl,
      banner,
      log,
      ...(tlsFiles
        ? {
            reloadTls() {
              try {
                const next = loadTlsFiles(tlsFiles);
                (server as unknown as { setSecureContext(o: object): void }).setSecureContext(next.options);
                log.info('TLS certificate reloaded', { certFile: tlsFiles.certFile, ...next.summary });
              } catch (err) {
                log.warn('TLS certificate reload failed: keeping the current certificate', {
                  error: err instanceof TlsFileError ? err.message : String(err),
                });
              }
            },
          }
        : {}),
      async close() {
        await adminSocket?.close();
        await closeHttpServer(server, SHUTDOWN_GRACE_MS);
        await running.stop();
        await cluster?.close();
        await store.close();
        lock?.release();
        log.info('stopped');
        sink.flush();
        process.off('exit', sink.flush);
      },
    };
  } catch (err) {
    await admin?.close().catch(() => undefined);
    await services?.stop().catch(() => undefined);
    await cluster?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    lock?.release();
    sink.flush();
    process.off('exit', sink.flush);
    throw err;
  }
}

/**
 * `--durability relaxed`: no fsync of blob files and directories, SQLite in synchronous=NORMAL
 * (WAL, no flush per commit), PostgreSQL with synchronous_commit off. Every write still goes through
 * the same temp-file-then-rename and transaction steps, so a killed process leaves no torn object.
 */
function withDurability<B extends { metadata: MetadataBackend; blobs: BlobBackend }>(b: B, durability: Durability): B {
  if (durability === 'durable') return b;
  const metadata: MetadataBackend =
    b.metadata.kind === 'sqlite'
      ? { ...b.metadata, synchronous: 'NORMAL' }
      : { ...b.metadata, synchronousCommit: false };
  return { ...b, metadata, blobs: { ...b.blobs, fsync: false } };
}
