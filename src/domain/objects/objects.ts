import type { Readable } from 'node:stream';
import { newOpaqueId } from '../../crypto/ids.js';
import { DomainError } from '../errors.js';
import type { ListVersionsPage, ObjectIndexRepo } from '../ports/ObjectIndexRepo.js';
import { PER_KEY_MAX_KEYS, type TxIsolation } from '../ports/MetadataStore.js';
import { inlineBytes, openSegments, partRange, type ByteRange } from './body.js';
import { copyObject, type CopyObjectInput, type CopyObjectResult } from './copy.js';
import { assertWithinQuota } from '../accounts/quota.js';
import { freeBlobs, freeUnlessCommitted, type ObjectBucket, type ObjectDeps } from './blobFreeing.js';
import { inlineSegments, isInlineLength, readInlineBody, wholeInlineBody } from './inline.js';
import { checkKey, checkNewKey, checkUserMetadata, MAX_INLINE_BYTES, OBJECT_LIMITS, objectError } from './limits.js';
import {
  listV1,
  listV2,
  listVersions,
  type ListObjectsV1Input,
  type ListObjectsV1Output,
  type ListObjectsV2Input,
  type ListObjectsV2Output,
  type ListVersionsInput,
} from './listing.js';
import { NULL_VERSION, type CannedAcl, type ObjectChecksum, type ObjectRecord } from '../ports/objectRecords.js';
import {
  checkWriteConditions,
  deleteMarkerRecord,
  newObjectRecord,
  requireLiveBucket,
  storeBody,
  visibleObject,
  type BodyFacts,
  type ObjectWriteAttributes,
  type WriteConditions,
} from './write.js';
import type { Tag } from '../ports/records.js';

export interface PutObjectInput extends ObjectWriteAttributes, WriteConditions {
  /**
   * Resolves once the body verified, with the MD5 (and checksum) the caller's verifier computed.
   * Without it the service hashes the body itself and stores no checksum.
   */
  verified?: Promise<BodyFacts>;
  /**
   * The body's length as the request declared it (Content-Length or x-amz-decoded-content-length).
   * At most MAX_INLINE_BYTES: the body is kept in the object index, in the same metadata transaction
   * as the row (no blob file). Unknown: the blob path.
   */
  declaredLength?: number;
}

export interface PutObjectResult {
  etag: string;
  versionId: string;
  size: number;
  lastModified: number;
  checksum?: ObjectChecksum;
}

export interface ReadObjectInput {
  versionId?: string;
  partNumber?: number;
}

export interface ObjectRead {
  object: ObjectRecord;
  /** With `partNumber`: the part's byte range and the object's part count. */
  part?: ByteRange & { partsCount: number };
  /** The body, whole, or the part, or `range` (inclusive, within the object; else reason range_not_satisfiable). */
  open(range?: ByteRange): Readable;
  /** The same bytes as `open`, as one Buffer, when the body is kept inline (small); else undefined. */
  inlineBody(range?: ByteRange): Buffer | undefined;
}

export interface DeleteResult {
  versionId?: string;
  deleteMarker: boolean;
}

export interface DeleteObjectsItem {
  key: string;
  versionId?: string;
}
export type DeleteObjectsResult =
  | ({ ok: true; key: string; requestedVersionId?: string } & DeleteResult)
  | { ok: false; key: string; versionId?: string; error: DomainError };

/**
 * Objects: put, get/head, delete, copy, tagging, ACL and listings. Bodies go to the blob store
 * first (durable), then one metadata transaction commits the row, then replaced blobs are freed.
 */
export class ObjectService {
  constructor(private readonly deps: ObjectDeps) {}

  /**
   * `body`: a stream, or (declared length ≤ MAX_INLINE_BYTES only) the whole body already read into
   * one Buffer by the caller, e.g. the S3 plane's VerifiedBody.whole().
   */
  async putObject(
    bucket: ObjectBucket,
    key: string,
    body: Readable | Promise<Buffer>,
    input: PutObjectInput = {},
  ): Promise<PutObjectResult> {
    checkNewKey(key);
    checkUserMetadata(input.userMetadata ?? {});
    const { store, blobs, clock } = this.deps;
    if (input.ifNoneMatch !== undefined || input.ifMatch !== undefined) {
      await store.read((tx) => checkWriteConditions(tx.objects, bucket.id, key, input));
    }
    if (isInlineLength(input.declaredLength)) return this.putInline(bucket, key, body, input, input.declaredLength);
    if (body instanceof Promise)
      throw new Error(
        `a body read whole must be at most ${MAX_INLINE_BYTES} bytes (declared length ${input.declaredLength ?? 'unknown'})`,
      );
    const put = await storeBody(blobs, body, OBJECT_LIMITS.maxSinglePutBytes, input.verified === undefined);
    let freed: string[];
    let obj: ObjectRecord;
    try {
      const facts = input.verified ? await input.verified : { md5: put.md5! };
      const c = facts.checksum;
      obj = newObjectRecord({
        bucket,
        key,
        size: put.size,
        etag: facts.md5.toString('hex'),
        now: clock(),
        attrs: input,
        partsCount: 0,
        segments: [{ blobId: put.blobId, offset: 0, length: put.size, partNumber: 0 }],
        checksum: c ? { algorithm: c.algorithm, value: c.value, type: c.type ?? 'FULL_OBJECT' } : undefined,
      });
      freed = await store.transaction(async (tx) => {
        await requireLiveBucket(tx, bucket);
        await checkWriteConditions(tx.objects, bucket.id, key, input);
        const { freedBlobIds } = await tx.objects.putObject(obj);
        await assertWithinQuota(tx, bucket.accountId);
        return freedBlobIds;
      }, 'perKey');
    } catch (err) {
      await freeUnlessCommitted(this.deps, [put.blobId], err);
      throw err;
    }
    await freeBlobs(this.deps, freed);
    return putResult(obj);
  }

  /**
   * The small-object path: the body is read into memory (bounded by MAX_INLINE_BYTES) and fully
   * verified, then the row and the body are written by one metadata transaction. No file is touched.
   */
  private async putInline(
    bucket: ObjectBucket,
    key: string,
    body: Readable | Promise<Buffer>,
    input: PutObjectInput,
    length: number,
  ): Promise<PutObjectResult> {
    this.deps.blobs.assertWritable?.();
    const read =
      body instanceof Promise
        ? await wholeInlineBody(body, length, input.verified === undefined)
        : await readInlineBody(body, length, input.verified === undefined);
    const facts = input.verified ? await input.verified : { md5: read.md5! };
    const c = facts.checksum;
    const obj = newObjectRecord({
      bucket,
      key,
      size: read.bytes.length,
      etag: facts.md5.toString('hex'),
      now: this.deps.clock(),
      attrs: input,
      partsCount: 0,
      segments: inlineSegments(read.bytes),
      checksum: c ? { algorithm: c.algorithm, value: c.value, type: c.type ?? 'FULL_OBJECT' } : undefined,
    });
    const freed = await this.deps.store.transaction(async (tx) => {
      await requireLiveBucket(tx, bucket);
      await checkWriteConditions(tx.objects, bucket.id, key, input);
      const { freedBlobIds } = await tx.objects.putObject(obj);
      await assertWithinQuota(tx, bucket.accountId);
      return freedBlobIds;
    }, 'perKey');
    await freeBlobs(this.deps, freed);
    return putResult(obj);
  }

  /** Metadata and a lazily opened body. Conditions and Range parsing are the protocol's. */
  async getObject(bucket: ObjectBucket, key: string, input: ReadObjectInput = {}): Promise<ObjectRead> {
    return this.read(bucket, key, input, true);
  }

  /** Like getObject; segments are loaded only when a part number is asked for. */
  async headObject(bucket: ObjectBucket, key: string, input: ReadObjectInput = {}): Promise<ObjectRead> {
    return this.read(bucket, key, input, input.partNumber !== undefined);
  }

  async deleteObject(bucket: ObjectBucket, key: string, input: { versionId?: string } = {}): Promise<DeleteResult> {
    checkKey(key);
    const now = this.deps.clock();
    const { result, freed } = await this.deps.store.transaction(async (tx) => {
      await requireLiveBucket(tx, bucket);
      return deleteOne(tx.objects, bucket, key, input.versionId, now);
    }, 'perKey');
    await freeBlobs(this.deps, freed);
    return result;
  }

  /** DeleteObjects: up to 1000 keys in one transaction; per-key failures are reported, not thrown. */
  async deleteObjects(bucket: ObjectBucket, items: readonly DeleteObjectsItem[]): Promise<DeleteObjectsResult[]> {
    if (items.length === 0 || items.length > OBJECT_LIMITS.maxDeleteObjects) {
      throw objectError(
        'InvalidInput',
        'delete_count',
        `DeleteObjects takes 1 to ${OBJECT_LIMITS.maxDeleteObjects} keys (got ${items.length})`,
      );
    }
    const now = this.deps.clock();
    const order = keyOrder(items);
    // Everything the function produces is returned: the store may run it more than once.
    const { results, freed } = await this.deps.store.transaction(async (tx) => {
      await requireLiveBucket(tx, bucket);
      const out: DeleteObjectsResult[] = new Array<DeleteObjectsResult>(items.length);
      const freed: string[] = [];
      for (const i of order) {
        const it = items[i];
        try {
          checkKey(it.key);
          const r = await deleteOne(tx.objects, bucket, it.key, it.versionId, now);
          freed.push(...r.freed);
          out[i] = {
            ok: true,
            key: it.key,
            ...(it.versionId !== undefined ? { requestedVersionId: it.versionId } : {}),
            ...r.result,
          };
        } catch (err) {
          if (!(err instanceof DomainError) || err.details.reason === undefined) throw err;
          out[i] = {
            ok: false,
            key: it.key,
            ...(it.versionId !== undefined ? { versionId: it.versionId } : {}),
            error: err,
          };
        }
      }
      return { results: out, freed };
    }, isolationFor(items.length));
    await freeBlobs(this.deps, freed);
    return results;
  }

  copyObject(bucket: ObjectBucket, key: string, input: CopyObjectInput): Promise<CopyObjectResult> {
    return copyObject(this.deps, bucket, key, input);
  }

  async getObjectTagging(
    bucket: ObjectBucket,
    key: string,
    versionId?: string,
  ): Promise<{ versionId: string; tags: Tag[] }> {
    const o = await this.deps.store.read(async (tx) =>
      visibleObject(await tx.objects.getObject(bucket.id, key, versionId, false), key, versionId),
    );
    // By key, in byte order: S3 keeps a tag set, not a list (ceph/s3-tests test_put_obj_with_tags).
    const tags = [...o.tags].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    return { versionId: o.versionId, tags };
  }

  async putObjectTagging(
    bucket: ObjectBucket,
    key: string,
    tags: Tag[],
    versionId?: string,
  ): Promise<{ versionId: string }> {
    if (tags.length > 10)
      throw objectError('InvalidInput', 'too_many_tags', `Object tags cannot be greater than 10 (got ${tags.length})`);
    return this.update(bucket, key, versionId, (repo, v) => repo.setObjectTags(bucket.id, key, v, tags));
  }

  deleteObjectTagging(bucket: ObjectBucket, key: string, versionId?: string): Promise<{ versionId: string }> {
    return this.putObjectTagging(bucket, key, [], versionId);
  }

  async getObjectAcl(
    bucket: ObjectBucket,
    key: string,
    versionId?: string,
  ): Promise<{ versionId: string; acl: CannedAcl }> {
    const o = await this.deps.store.read(async (tx) =>
      visibleObject(await tx.objects.getObject(bucket.id, key, versionId, false), key, versionId),
    );
    return { versionId: o.versionId, acl: o.acl };
  }

  /** Whether the version (latest when `versionId` is absent) exists, is not a delete marker, and is public-read. */
  async isPublicRead(bucket: ObjectBucket, key: string, versionId?: string): Promise<boolean> {
    const o = await this.deps.store.read((tx) => tx.objects.getObject(bucket.id, key, versionId, false));
    return o !== undefined && !o.isDeleteMarker && o.acl === 'public-read';
  }

  putObjectAcl(bucket: ObjectBucket, key: string, acl: CannedAcl, versionId?: string): Promise<{ versionId: string }> {
    return this.update(bucket, key, versionId, (repo, v) => repo.setObjectAcl(bucket.id, key, v, acl));
  }

  listObjectsV2(bucket: ObjectBucket, q: ListObjectsV2Input): Promise<ListObjectsV2Output & { rowsRead: number }> {
    return this.deps.store.read((tx) => listV2(tx.objects, bucket.id, q));
  }

  listObjects(bucket: ObjectBucket, q: ListObjectsV1Input): Promise<ListObjectsV1Output> {
    return this.deps.store.read((tx) => listV1(tx.objects, bucket.id, q));
  }

  listObjectVersions(bucket: ObjectBucket, q: ListVersionsInput): Promise<ListVersionsPage> {
    return this.deps.store.read((tx) => listVersions(tx.objects, bucket.id, q));
  }

  private async read(
    bucket: ObjectBucket,
    key: string,
    input: ReadObjectInput,
    withSegments: boolean,
  ): Promise<ObjectRead> {
    const found = await this.deps.store.read((tx) =>
      tx.objects.getObject(bucket.id, key, input.versionId, withSegments),
    );
    const o = visibleObject(found, key, input.versionId);
    const part = input.partNumber !== undefined ? partRange(o, input.partNumber) : undefined;
    const blobs = this.deps.blobs;
    const read: ObjectRead = {
      object: o,
      open: (range) => {
        if (!withSegments && o.partsCount > 0)
          throw new Error('headObject results have no body to open; use getObject');
        return openSegments(
          blobs,
          o.segments,
          o.size,
          range ?? (part ? { start: part.start, end: part.end } : undefined),
        );
      },
      inlineBody: (range) =>
        withSegments ? inlineBytes(o, range ?? (part ? { start: part.start, end: part.end } : undefined)) : undefined,
    };
    if (part) read.part = part;
    return read;
  }

  private async update(
    bucket: ObjectBucket,
    key: string,
    versionId: string | undefined,
    apply: (repo: ObjectIndexRepo, versionId: string) => Promise<boolean>,
  ): Promise<{ versionId: string }> {
    return this.deps.store.transaction(async (tx) => {
      const o = visibleObject(await tx.objects.getObject(bucket.id, key, versionId, false), key, versionId);
      await apply(tx.objects, o.versionId);
      return { versionId: o.versionId };
    }, 'perKey');
  }
}

/**
 * The order DeleteObjects works through its items: by key (a key's items in the request's order).
 * Every transaction then takes its key locks (PostgreSQL, `perKey`) in one order, so two requests
 * naming the same keys in different orders wait for each other instead of deadlocking. The results
 * keep the request's order.
 */
function keyOrder(items: readonly DeleteObjectsItem[]): number[] {
  return items
    .map((_, i) => i)
    .sort((a, b) => (items[a].key < items[b].key ? -1 : items[a].key > items[b].key ? 1 : a - b));
}

/** A DeleteObjects of up to PER_KEY_MAX_KEYS keys is isolated per key, a larger one per bucket. */
const isolationFor = (keys: number): TxIsolation => (keys <= PER_KEY_MAX_KEYS ? 'perKey' : 'perBucket');

function putResult(obj: ObjectRecord): PutObjectResult {
  const out: PutObjectResult = {
    etag: obj.etag,
    versionId: obj.versionId,
    size: obj.size,
    lastModified: obj.lastModified,
  };
  if (obj.checksum) out.checksum = obj.checksum;
  return out;
}

/** One DeleteObject under the bucket's versioning state, inside the caller's transaction. */
async function deleteOne(
  repo: ObjectIndexRepo,
  bucket: ObjectBucket,
  key: string,
  versionId: string | undefined,
  now: number,
): Promise<{ result: DeleteResult; freed: string[] }> {
  if (versionId !== undefined) {
    const r = await repo.deleteVersion(bucket.id, key, versionId);
    return { result: { versionId, deleteMarker: r.deleted?.isDeleteMarker ?? false }, freed: r.freedBlobIds };
  }
  if (bucket.objectVersioning === 'NeverEnabled') {
    const r = await repo.deleteVersion(bucket.id, key, NULL_VERSION);
    return { result: { deleteMarker: false }, freed: r.freedBlobIds };
  }
  const markerId = bucket.objectVersioning === 'Enabled' ? newOpaqueId() : NULL_VERSION;
  const r = await repo.putObject(deleteMarkerRecord(bucket, key, markerId, now));
  return { result: { versionId: markerId, deleteMarker: true }, freed: r.freedBlobIds };
}
