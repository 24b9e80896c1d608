/**
 * Builds the domain services from the stores (part of the composition root, split from app.ts
 * to keep each file small). Nothing here speaks a wire protocol.
 */
import type { ServeOptions } from './config.js';
import type { Identity } from './identity.js';
import type { Logger } from './log.js';
import { SecretBox } from './crypto/secretBox.js';
import { AccessKeyService } from './domain/keys/accessKeys.js';
import { BlobSweeper } from './domain/objects/blobSweeper.js';
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

export interface ServicesInput {
  opts: ServeOptions;
  identity: Identity;
  store: MetadataStore;
  /** Closed by `stop()`. */
  blobs: BlobStore;
  log: Logger;
  /** The URL clients use to reach this server (known once the listener is bound). */
  publicUrl: () => string;
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
  operations: OperationService;
  objects: ObjectService;
  multipart: MultipartService;
  lastUsed: LastUsedRecorder;
  metrics: MetricsSampler;
  /** Seals and opens bucket key secrets; `rotate-master-key` switches its key while the server runs. */
  secretBox: SecretBox;
  /** Work that must finish before the listener opens: temp files of writes cut short by a crash. */
  prepare(): Promise<void>;
  /** Starts background work (metric samples, orphan sweep) once the listener is up. */
  start(): void;
  /** Stops background work and flushes what is pending; closes the blob store. */
  stop(): Promise<void>;
}

/** A temp file younger than this may belong to an upload in progress. */
const TEMP_GRACE_MS = 10 * 60_000;

export async function buildServices(input: ServicesInput): Promise<Services> {
  const { opts, identity, store, blobs, log } = input;
  const clock = Date.now;
  const secretBox = new SecretBox(identity.masterKey, identity.pendingMasterKeys);
  const credentials = createCredentialResolver({
    store,
    secretBox,
    clock,
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
  const sweeper = new BlobSweeper({ store, blobs, clock, logger: log, startupTempGraceMs: TEMP_GRACE_MS });
  return {
    opts,
    log,
    publicUrl: input.publicUrl,
    clock,
    store,
    blobs,
    credentials,
    keyCache: new SigningKeyCache(),
    buckets: new BucketService({ store, clock, blobs, credentials, log }),
    accessKeys: new AccessKeyService({ store, secretBox, clock, credentials }),
    operations: new OperationService({ store }),
    objects: new ObjectService(objectDeps),
    multipart: new MultipartService(objectDeps),
    lastUsed,
    metrics,
    secretBox,
    async prepare() {
      const removed = await blobs.removeStaleTemp(0);
      if (removed > 0) log.info('removed temporary files of interrupted writes', { count: removed });
    },
    start() {
      metrics.start();
      sweeper.start().catch((err: unknown) => log.warn('orphan blob sweep failed', { err }));
    },
    async stop() {
      metrics.stop();
      await sweeper.stop();
      await lastUsed.stop();
      await blobs.close();
    },
  };
}
