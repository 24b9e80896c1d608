import { newUuid } from '../../crypto/ids.js';
import type { Logger } from '../../log.js';
import type { BlobStore } from '../ports/BlobStore.js';
import type { ChangeFeed } from '../ports/ChangeFeed.js';
import { StoreConflict } from '../ports/ControlPlaneRepo.js';
import type { MetadataStore, MetadataTx } from '../ports/MetadataStore.js';
import { ableToUpdateBundle, requireBucket, requireResource, type ResourceRef } from './access.js';
import { assertBucketName, INVALID_BUCKET_NAME } from './names.js';
import {
  assertVersioningChange,
  checkAccessLogConfig,
  checkCorsRules,
  checkReadonlyAccounts,
  DEFAULT_ACCESS_RULES,
  mergeAccessRules,
} from './settings.js';
import { findActiveBundle, listBucketBundles } from './bundles.js';
import type { CallerContext } from '../caller.js';
import type { CredentialInvalidation } from '../keys/credentials.js';
import { DomainError, invalidInput } from '../errors.js';
import { recordOperation as record } from '../operationRecords/recordOperation.js';
import { decodeNameToken, encodePageToken } from '../pageToken.js';
import { assertTags, mergeTags, removeTags } from './tags.js';
import type {
  AccessLogConfig,
  AccessRules,
  BucketRecord,
  CorsRule,
  LifecycleRule,
  OperationRecord,
  Tag,
} from '../ports/records.js';
import { checkLifecycleRules } from '../lifecycle/rules.js';

export interface BucketServiceDeps {
  store: MetadataStore;
  clock: () => number;
  /** Frees the blobs of a force-deleted bucket after the commit (absent: the orphan sweep frees them). */
  blobs?: Pick<BlobStore, 'delete'>;
  credentials?: CredentialInvalidation;
  /** Tells the other nodes of every committed bucket change (absent: one process, nobody to tell). */
  changes?: Pick<ChangeFeed, 'publish'>;
  log?: Logger;
  /** Buckets per GetBuckets page (default 100). */
  pageSize?: number;
  /**
   * How long `findByName` may serve a bucket record from memory (default 1000 ms; 0: no cache).
   * Every change made through this service is seen at once; the TTL only bounds how long a change
   * made by another node (shared PostgreSQL) can go unseen here.
   */
  cacheTtlMs?: number;
  /** Bucket records kept in memory at most (default 1000, oldest evicted first). */
  cacheMaxEntries?: number;
}

export interface CreateBucketInput {
  bucketName: string;
  bundleId: string;
  enableObjectVersioning?: boolean;
  tags?: Tag[];
}

export interface UpdateBucketInput {
  accessRules?: Partial<AccessRules>;
  versioning?: string;
  readonlyAccessAccounts?: string[];
  accessLogConfig?: AccessLogConfig;
  cors?: CorsRule[];
  /** S3 lifecycle rules, already checked by the S3 plane's parser (empty: none). */
  lifecycle?: LifecycleRule[];
}

export interface BucketChange {
  bucket: BucketRecord;
  operations: OperationRecord[];
}
export interface OperationsResult {
  operations: OperationRecord[];
}
export interface BucketPage {
  buckets: BucketRecord[];
  nextPageToken?: string;
}

/** `details.reason` values callers may map to protocol-specific errors (e.g. S3 BucketNotEmpty). */
export const BucketReasons = {
  invalidName: INVALID_BUCKET_NAME,
  nameTaken: 'bucket_name_taken',
  ownedByYou: 'bucket_owned_by_you',
  notEmpty: 'bucket_not_empty',
  hasAccessKeys: 'bucket_has_access_keys',
} as const;

const PAGE_KIND = 'buckets';

interface CachedBucket {
  bucket: BucketRecord;
  expiresAt: number;
}

/** Deep-frozen: a cached record is shared by every request that reads it. */
function frozen(b: BucketRecord): BucketRecord {
  Object.freeze(b.accessRules);
  Object.freeze(b.accessLogConfig);
  for (const rule of b.cors) {
    for (const list of [rule.allowedMethods, rule.allowedOrigins, rule.allowedHeaders, rule.exposeHeaders])
      if (list) Object.freeze(list);
    Object.freeze(rule);
  }
  Object.freeze(b.cors);
  Object.freeze(b.lifecycle);
  for (const t of b.tags) Object.freeze(t);
  Object.freeze(b.tags);
  Object.freeze(b.readonlyAccessAccounts);
  return Object.freeze(b);
}

/** Buckets: the rules of CreateBucket, GetBuckets, UpdateBucket, DeleteBucket, UpdateBucketBundle and tags. */
export class BucketService {
  private readonly pageSize: number;
  private readonly cacheTtlMs: number;
  private readonly cacheMaxEntries: number;
  /** Bucket records by name for findByName (the S3 plane's per-request lookup); existing buckets only. */
  private readonly cache = new Map<string, CachedBucket>();
  /** Bumped by every invalidation: a lookup that started before one does not fill the cache. */
  private cacheGeneration = 0;

  constructor(private readonly deps: BucketServiceDeps) {
    this.pageSize = deps.pageSize ?? 100;
    this.cacheTtlMs = deps.cacheTtlMs ?? 1000;
    this.cacheMaxEntries = deps.cacheMaxEntries ?? 1000;
    if (!(this.cacheTtlMs >= 0))
      throw new RangeError(`BucketService cacheTtlMs must be 0 or more, got ${deps.cacheTtlMs}`);
    if (!(this.cacheMaxEntries >= 1))
      throw new RangeError(`BucketService cacheMaxEntries must be at least 1, got ${deps.cacheMaxEntries}`);
  }

  /**
   * Drops the cached record of a bucket name. Every change this service makes calls it after its
   * commit; anything else that changes a bucket row (or learns of another node's change) must too.
   */
  invalidateCachedBucket(bucketName: string): void {
    this.cacheGeneration++;
    this.cache.delete(bucketName);
  }

  /** Drops every cached record (the change feed may have missed changes). */
  invalidateAllCachedBuckets(): void {
    this.cacheGeneration++;
    this.cache.clear();
  }

  /**
   * Runs a bucket-changing transaction. Its function returns the changed bucket's name beside its
   * result instead of noting it from inside, since the store may run the function more than once.
   * After the commit the cached record of that name is dropped. After a failure, which may still
   * have committed (a failed WAL fsync), the record of `knownName` is dropped, or when the name is
   * known only inside (a bucket named by ARN), the whole cache.
   */
  private async changing<T>(
    knownName: string | undefined,
    fn: (tx: MetadataTx) => Promise<{ changed: string; result: T }>,
  ): Promise<T> {
    let out: { changed: string; result: T };
    try {
      out = await this.deps.store.transaction(fn);
    } catch (err) {
      if (knownName !== undefined) {
        this.invalidateCachedBucket(knownName);
        this.deps.changes?.publish({ kind: 'bucket', bucketName: knownName });
      } else {
        this.invalidateAllCachedBuckets();
        this.deps.changes?.publish({ kind: 'all' });
      }
      throw err;
    }
    this.invalidateCachedBucket(out.changed);
    this.deps.changes?.publish({ kind: 'bucket', bucketName: out.changed });
    return out.result;
  }

  async create(caller: CallerContext, input: CreateBucketInput): Promise<BucketChange> {
    assertBucketName(input.bucketName);
    assertBundle(input.bundleId);
    const tags = input.tags ?? [];
    assertTags(tags);
    const now = this.deps.clock();
    const bucket: BucketRecord = {
      id: newUuid(),
      accountId: caller.accountId,
      region: caller.region,
      name: input.bucketName,
      bundleId: input.bundleId,
      createdAt: now,
      objectVersioning: input.enableObjectVersioning ? 'Enabled' : 'NeverEnabled',
      accessRules: { ...DEFAULT_ACCESS_RULES },
      readonlyAccessAccounts: [],
      accessLogConfig: { enabled: false },
      cors: [],
      lifecycle: [],
      bundleChangedAt: null,
      tags: tags.map((t) => ({ key: t.key, value: t.value })),
    };
    return this.changing(bucket.name, async (tx) => {
      const existing = await tx.control.getBucketByName(bucket.name);
      if (existing) throw nameTaken(bucket.name, existing, caller);
      try {
        await tx.control.insertBucket(bucket);
      } catch (err) {
        if (err instanceof StoreConflict) throw nameTaken(bucket.name, undefined, caller);
        throw err;
      }
      const operations = [await record(tx, caller, bucket.name, 'CreateBucket', now)];
      return { changed: bucket.name, result: { bucket, operations } };
    });
  }

  /** The caller's bucket in the caller's region, or NotFound "Bucket 'x' does not exist in <region>." */
  async get(caller: CallerContext, bucketName: string): Promise<BucketRecord> {
    return this.deps.store.read((tx) => requireBucket(tx.control, caller, bucketName));
  }

  /**
   * Any bucket on the server by name (for the S3 data plane's routing and authorization), served
   * from memory for up to `cacheTtlMs` after a read. The record is frozen: never change it.
   */
  async findByName(bucketName: string): Promise<BucketRecord | undefined> {
    if (this.cacheTtlMs === 0) return this.deps.store.read((tx) => tx.control.getBucketByName(bucketName));
    const hit = this.cache.get(bucketName);
    if (hit !== undefined) {
      if (hit.expiresAt > this.deps.clock()) return hit.bucket;
      this.cache.delete(bucketName);
    }
    const startedAt = this.cacheGeneration;
    const b = await this.deps.store.read((tx) => tx.control.getBucketByName(bucketName));
    if (b === undefined || startedAt !== this.cacheGeneration) return b;
    const bucket = frozen(b);
    this.cache.set(bucketName, { bucket, expiresAt: this.deps.clock() + this.cacheTtlMs });
    if (this.cache.size > this.cacheMaxEntries) this.cache.delete(this.cache.keys().next().value as string);
    return bucket;
  }

  async list(caller: CallerContext, opts: { pageToken?: string } = {}): Promise<BucketPage> {
    const after = decodeNameToken(PAGE_KIND, opts.pageToken);
    const rows = await this.deps.store.read((tx) =>
      tx.control.listBuckets(caller.accountId, caller.region, after, this.pageSize + 1),
    );
    const buckets = rows.slice(0, this.pageSize);
    const page: BucketPage = { buckets };
    if (rows.length > this.pageSize) page.nextPageToken = encodePageToken(PAGE_KIND, buckets[buckets.length - 1].name);
    return page;
  }

  /**
   * One page of the account's buckets in a region, by name, strictly after `after` (for S3
   * ListBuckets, which pages by bucket name itself). Not cached.
   */
  listByName(accountId: string, region: string, after: string | undefined, limit: number): Promise<BucketRecord[]> {
    return this.deps.store.read((tx) => tx.control.listBuckets(accountId, region, after, limit));
  }

  /** Whether the bucket may change its bundle now. */
  ableToUpdateBundle(b: BucketRecord): boolean {
    return ableToUpdateBundle(b, this.deps.clock());
  }

  async update(caller: CallerContext, bucketName: string, input: UpdateBucketInput): Promise<BucketChange> {
    const readonly = input.readonlyAccessAccounts && checkReadonlyAccounts(input.readonlyAccessAccounts);
    const cors = input.cors && checkCorsRules(input.cors);
    const logConfig = input.accessLogConfig && checkAccessLogConfig(input.accessLogConfig);
    if (input.versioning !== undefined) assertVersioningChange(input.versioning);
    const now = this.deps.clock();
    return this.changing(bucketName, async (tx) => {
      const b = await requireBucket(tx.control, caller, bucketName);
      const next: BucketRecord = { ...b };
      if (input.accessRules) next.accessRules = mergeAccessRules(b.accessRules, input.accessRules);
      if (input.versioning !== undefined && input.versioning !== b.objectVersioning) {
        next.objectVersioning = input.versioning as BucketRecord['objectVersioning'];
        // A versioning change turns public overrides off (the rule in docs/compat/control-domain.md),
        // unless the same call sets allowPublicOverrides explicitly: then the caller's word stands.
        const explicit = input.accessRules?.allowPublicOverrides !== undefined;
        if (next.accessRules.allowPublicOverrides && !explicit)
          next.accessRules = { ...next.accessRules, allowPublicOverrides: false };
      }
      if (readonly) next.readonlyAccessAccounts = readonly;
      if (cors) next.cors = cors;
      if (input.lifecycle) next.lifecycle = checkLifecycleRules(input.lifecycle);
      if (logConfig) {
        if (logConfig.destination !== undefined) {
          const dest = await tx.control.getBucketByName(logConfig.destination);
          if (!dest || dest.accountId !== caller.accountId || dest.region !== caller.region) {
            throw invalidInput(
              `accessLogConfig.destination bucket '${logConfig.destination}' does not exist in ${caller.region}.`,
            );
          }
        }
        next.accessLogConfig = logConfig;
      }
      await tx.control.updateBucket(next);
      const operations = [await record(tx, caller, b.name, 'UpdateBucket', now)];
      return { changed: b.name, result: { bucket: next, operations } };
    });
  }

  async updateBundle(caller: CallerContext, bucketName: string, bundleId: string): Promise<BucketChange> {
    assertBundle(bundleId);
    const now = this.deps.clock();
    return this.changing(bucketName, async (tx) => {
      const b = await requireBucket(tx.control, caller, bucketName);
      if (b.bundleId === bundleId)
        throw invalidInput(`Bucket '${b.name}' already uses bundle '${bundleId}'.`, 'same_bundle');
      if (!ableToUpdateBundle(b, now)) {
        const d = new Date(b.bundleChangedAt!);
        const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
        throw invalidInput(
          `Bucket '${b.name}' already changed its bundle this month; it can change again from ${next}.`,
          'bundle_change_limit',
        );
      }
      const next: BucketRecord = { ...b, bundleId, bundleChangedAt: now };
      await tx.control.updateBucket(next);
      const operations = [await record(tx, caller, b.name, 'UpdateBucketBundle', now)];
      return { changed: b.name, result: { bucket: next, operations } };
    });
  }

  /**
   * Deletes a bucket. Without `force`, refuses one that has objects, versions, unfinished uploads
   * or access keys; with it, deletes all of them and frees their blobs after the commit.
   * `abortUploads`: unfinished multipart uploads do not count as contents and are deleted too.
   */
  async delete(
    caller: CallerContext,
    bucketName: string,
    opts: { force?: boolean; abortUploads?: boolean } = {},
  ): Promise<OperationsResult> {
    const now = this.deps.clock();
    const { bucketId, blobIds, operation } = await this.changing(bucketName, async (tx) => {
      const b = await requireBucket(tx.control, caller, bucketName);
      if (!opts.force) {
        // Every blocker in one message, so one refusal tells the caller all there is to clear.
        // abortUploads (S3's DeleteBucket): unfinished uploads do not keep a bucket; they go with it.
        const hasContents = await (opts.abortUploads ? tx.objects.hasObjects(b.id) : tx.objects.hasContents(b.id));
        const keys = await tx.control.listAccessKeys(b.id);
        const keyList = `${keys.length} access key(s) (${keys.map((k) => k.accessKeyId).join(', ')})`;
        if (hasContents) {
          throw invalidInput(
            keys.length > 0
              ? `Bucket '${b.name}' is not empty and has ${keyList}: delete its objects, object versions and unfinished uploads and its access keys first, or use forceDelete.`
              : `Bucket '${b.name}' is not empty: delete its objects, object versions and unfinished uploads first, or use forceDelete.`,
            BucketReasons.notEmpty,
          );
        }
        if (keys.length > 0) {
          throw invalidInput(
            `Bucket '${b.name}' has ${keyList}: delete them first, or use forceDelete.`,
            BucketReasons.hasAccessKeys,
          );
        }
      }
      const freed = await tx.objects.deleteAllInBucket(b.id);
      await tx.control.deleteBucket(b.id);
      const operation = await record(tx, caller, b.name, 'DeleteBucket', now);
      return { changed: b.name, result: { bucketId: b.id, blobIds: freed, operation } };
    });
    this.deps.credentials?.invalidateBucket(bucketId);
    if (blobIds.length > 0 && this.deps.blobs) {
      await this.deps.blobs.delete(blobIds).catch((err: unknown) => {
        // The bucket is gone either way; the orphan sweep frees what is left.
        this.deps.log?.warn('freeing blobs of a deleted bucket failed', {
          bucket: bucketName,
          count: blobIds.length,
          err,
        });
      });
    }
    return { operations: [operation] };
  }

  async tag(caller: CallerContext, ref: ResourceRef, tags: Tag[]): Promise<OperationsResult> {
    assertTags(tags);
    const now = this.deps.clock();
    return this.changing(ref.resourceArn ? undefined : ref.resourceName, async (tx) => {
      const b = await requireResource(tx.control, caller, ref);
      await tx.control.updateBucket({ ...b, tags: mergeTags(b.tags, tags, b.name) });
      return { changed: b.name, result: { operations: [await record(tx, caller, b.name, 'TagResource', now)] } };
    });
  }

  /**
   * Replaces every tag of the bucket (S3 PutBucketTagging; an empty list is DeleteBucketTagging):
   * the same tags the control plane's TagResource and GetBuckets show, recorded as a TagResource
   * or UntagResource operation.
   */
  async replaceTags(caller: CallerContext, bucketName: string, tags: Tag[]): Promise<OperationsResult> {
    assertTags(tags);
    const now = this.deps.clock();
    return this.changing(bucketName, async (tx) => {
      const b = await requireBucket(tx.control, caller, bucketName);
      await tx.control.updateBucket({ ...b, tags: tags.map((t) => ({ key: t.key, value: t.value })) });
      const kind = tags.length > 0 ? 'TagResource' : 'UntagResource';
      return { changed: b.name, result: { operations: [await record(tx, caller, b.name, kind, now)] } };
    });
  }

  async untag(caller: CallerContext, ref: ResourceRef, tagKeys: string[]): Promise<OperationsResult> {
    const now = this.deps.clock();
    return this.changing(ref.resourceArn ? undefined : ref.resourceName, async (tx) => {
      const b = await requireResource(tx.control, caller, ref);
      await tx.control.updateBucket({ ...b, tags: removeTags(b.tags, tagKeys) });
      return { changed: b.name, result: { operations: [await record(tx, caller, b.name, 'UntagResource', now)] } };
    });
  }
}

function assertBundle(bundleId: string): void {
  if (findActiveBundle(bundleId)) return;
  const ids = listBucketBundles()
    .map((b) => b.bundleId)
    .join(', ');
  throw invalidInput(`Bundle '${bundleId}' does not exist; use one of ${ids}.`, 'invalid_bundle');
}

function nameTaken(name: string, existing: BucketRecord | undefined, caller: CallerContext): DomainError {
  if (existing && existing.accountId === caller.accountId) {
    return invalidInput(
      `Bucket '${name}' already exists and is owned by you${existing.region === caller.region ? '' : ` (in ${existing.region})`}.`,
      BucketReasons.ownedByYou,
    );
  }
  return invalidInput(
    `Bucket name '${name}' is already in use; bucket names are unique across the server.`,
    BucketReasons.nameTaken,
  );
}
