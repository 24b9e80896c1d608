/**
 * Builds the domain services from the stores (part of the composition root, split from app.ts
 * to keep each file small). Nothing here speaks a wire protocol.
 */
import { ConfigError, type ServeOptions } from './config.js';
import { DomainError } from './domain/errors.js';
import type { Identity } from './identity.js';
import type { Logger } from './log.js';
import { SecretBox } from './crypto/secretBox.js';
import { AccountService } from './domain/accounts/accounts.js';
import { AccessKeyService } from './domain/keys/accessKeys.js';
import { BlobSweeper, type SweepObserver } from './domain/objects/blobSweeper.js';
import { BucketService } from './domain/buckets/buckets.js';
import { createCredentialResolver } from './domain/keys/credentials.js';
import { LastUsedRecorder } from './domain/keys/lastUsed.js';
import { MetricsSampler } from './domain/buckets/metrics.js';
import { MultipartService } from './domain/multipart/multipart.js';
import { ObjectService } from './domain/objects/objects.js';
import { OperationService } from './domain/operationRecords/operationService.js';
import { SigningKeyCache } from './sigv4/signingKey.js';
import type { BlobStore } from './domain/ports/BlobStore.js';
import type { MetadataStore } from './domain/ports/MetadataStore.js';
import type { ChangeFeed } from './domain/ports/ChangeFeed.js';
import { AccessLogSpooler } from './domain/accessLogs/spooler.js';
import { AccessLogDelivery } from './domain/accessLogs/delivery.js';
import { LifecycleRunner } from './domain/lifecycle/runner.js';
import { applyRemoteChange, publishingInvalidation } from './domain/keys/cacheSync.js';
import { masterKeyOpensStoredSecrets } from './domain/keys/masterKeyCheck.js';

/** This node's master key cannot open the stored secrets: refuse to start. */
export class MasterKeyMismatch extends Error {
  override readonly name = 'MasterKeyMismatch';
}

export interface ServicesInput {
  opts: ServeOptions;
  identity: Identity;
  store: MetadataStore;
  /** Closed by `stop()`. */
  blobs: BlobStore;
  log: Logger;
  /** The URL clients use to reach this server (known once the listener is bound). */
  publicUrl: () => string;
  /** Told of every orphan sweep (the server's metrics). */
  sweepObserver?: SweepObserver;
  /**
   * Other nodes sharing the metadata (src/store/factory.ts `openCluster`): their cache
   * invalidations, and leadership for the jobs one node runs at a time. Absent: one process.
   */
  cluster?: {
    changes: ChangeFeed;
    lead(hooks: { gain(): void; lose(): void }): Promise<void>;
  };
  /** How long a resolved access key is cached (default 5 s; 1 s with several nodes, as a backstop to the feed). */
  credentialTtlMs?: number;
}

export interface Services {
  opts: ServeOptions;
  log: Logger;
  publicUrl: () => string;
  clock: () => number;
  store: MetadataStore;
  blobs: BlobStore;
  credentials: ReturnType<typeof createCredentialResolver>;
  keyCache: SigningKeyCache;
  buckets: BucketService;
  accessKeys: AccessKeyService;
  accounts: AccountService;
  operations: OperationService;
  objects: ObjectService;
  multipart: MultipartService;
  lastUsed: LastUsedRecorder;
  metrics: MetricsSampler;
  /** S3 server access-log records of this node's requests, appended to the spool every second. */
  accessLogSpool: AccessLogSpooler;
  /** Writes the spooled access logs into their destination buckets (on the leader). */
  accessLogDelivery: AccessLogDelivery;
  /** Applies the buckets' S3 lifecycle rules (on the leader). */
  lifecycle: LifecycleRunner;
  /** Seals and opens bucket key secrets; `rotate-master-key` switches its key while the server runs. */
  secretBox: SecretBox;
  /**
   * Work that must finish before the listener opens: temp files of writes cut short by a crash
   * (`removeTempFiles: false`: left alone, a `--workers` worker whose siblings are writing).
   */
  prepare(options?: { removeTempFiles?: boolean }): Promise<void>;
  /** Starts background work (metric samples, orphan sweep) once the listener is up. */
  start(): void;
  /** Stops background work and flushes what is pending; closes the blob store. */
  stop(): Promise<void>;
}

/** A temp file younger than this may belong to an upload in progress. */
const TEMP_GRACE_MS = 10 * 60_000;

export async function buildServices(input: ServicesInput): Promise<Services> {
  const { opts, identity, store, blobs, log, cluster } = input;
  const clock = Date.now;
  const secretBox = new SecretBox(identity.masterKey, identity.pendingMasterKeys);
  const credentials = createCredentialResolver({
    store,
    secretBox,
    clock,
    ...(input.credentialTtlMs !== undefined ? { ttlMs: input.credentialTtlMs } : {}),
    root: {
      accountId: identity.accountId,
      rootAccessKeyId: identity.rootAccessKeyId,
      rootSecretAccessKey: identity.rootSecretAccessKey,
    },
  });
  const objectDeps = { store, blobs, clock, logger: log };
  const lastUsed = new LastUsedRecorder({ store, clock, log });
  const metrics = new MetricsSampler({ store, clock, log, intervalMs: opts.metricsIntervalSeconds * 1000 });
  // Temp files are cleared by prepare() before any upload can start; the sweeps that run while
  // the server serves leave young temp files (live uploads) alone.
  const sweeper = new BlobSweeper({
    store,
    blobs,
    clock,
    logger: log,
    startupTempGraceMs: TEMP_GRACE_MS,
    ...(input.sweepObserver ? { observer: input.sweepObserver } : {}),
  });
  // Changes are told to the other nodes after they commit; theirs are applied to this node's caches.
  const invalidation = cluster ? publishingInvalidation(credentials, cluster.changes) : credentials;
  const buckets = new BucketService({
    store,
    clock,
    blobs,
    credentials: invalidation,
    log,
    ...(cluster ? { changes: cluster.changes } : {}),
  });
  cluster?.changes.subscribe((change) => applyRemoteChange(change, { credentials, buckets }));
  const accounts = new AccountService({
    store,
    secretBox,
    clock,
    operatorAccountId: identity.accountId,
    credentials: invalidation,
    bucketCache: buckets,
    blobs,
    log,
  });
  const objects = new ObjectService(objectDeps);
  const accessLogSpool = new AccessLogSpooler({ store, log, clock });
  const accessLogDelivery = new AccessLogDelivery({
    store,
    objects,
    log,
    clock,
    intervalMs: opts.accessLogIntervalSeconds * 1000,
  });
  const lifecycle = new LifecycleRunner({
    store,
    objects: objectDeps,
    log,
    clock,
    intervalMs: opts.lifecycleIntervalSeconds * 1000,
    dayMs: opts.lifecycleDaySeconds * 1000,
  });
  /** Whether this node runs the background jobs (the leader, or the only node). */
  let leading = false;
  const startJobs = () => {
    leading = true;
    metrics.start();
    accessLogDelivery.start();
    lifecycle.start();
    sweeper.start().catch((err: unknown) => log.warn('orphan blob sweep failed', { err }));
  };
  const stopJobs = async () => {
    leading = false;
    metrics.stop();
    await accessLogDelivery.stop();
    await lifecycle.stop();
    await sweeper.stop();
  };
  return {
    opts,
    log,
    publicUrl: input.publicUrl,
    clock,
    store,
    blobs,
    credentials,
    keyCache: new SigningKeyCache(),
    buckets,
    accounts,
    accessKeys: new AccessKeyService({ store, secretBox, clock, credentials: invalidation }),
    operations: new OperationService({ store }),
    objects,
    multipart: new MultipartService(objectDeps),
    lastUsed,
    metrics,
    accessLogSpool,
    accessLogDelivery,
    lifecycle,
    secretBox,
    async prepare(options = {}) {
      if ((await masterKeyOpensStoredSecrets(store, secretBox)) === false) {
        throw new MasterKeyMismatch(
          'the master key does not open the secrets stored in the metadata database: every node must use the same master key (--master-key-file or SAILBUCKET_MASTER_KEY)',
        );
      }
      try {
        await accounts.ensureOperator();
      } catch (err) {
        // A data directory whose operator account is not the configured one: refuse to start, clearly.
        if (err instanceof DomainError) throw new ConfigError(err.message);
        throw err;
      }
      if (options.removeTempFiles === false) return;
      const removed = await blobs.removeStaleTemp(0);
      if (removed > 0) log.info('removed temporary files of interrupted writes', { count: removed });
    },
    start() {
      accessLogSpool.start();
      if (!cluster) return startJobs();
      // The orphan sweep, metric sampling, access-log delivery and lifecycle rules run on the leader only; another
      // node takes over when it dies.
      cluster
        .lead({
          gain: () => {
            log.info(
              'this node leads: running the orphan blob sweep, metric sampling, access-log delivery and lifecycle rules',
            );
            startJobs();
          },
          lose: () => {
            log.info('this node no longer leads: background jobs stopped');
            stopJobs().catch(() => undefined);
          },
        })
        .catch((err: unknown) => log.warn('cannot campaign for leadership; retrying with the connection', { err }));
    },
    async stop() {
      // The records of the last requests go to the spool; the leader then delivers the spool.
      await accessLogSpool.stop();
      const delivering = leading;
      await stopJobs();
      if (delivering)
        await accessLogDelivery
          .deliver()
          .catch((err: unknown) => log.warn('access-log delivery at shutdown failed: records stay spooled', { err }));
      await lastUsed.stop();
      await blobs.close();
    },
  };
}
