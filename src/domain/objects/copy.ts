import { openSegments, type ByteRange } from './body.js';
import { crc64Tap } from './checksumTap.js';
import { inlineSegments, isInlineLength, readInlineBody } from './inline.js';
import { assertWithinQuota } from '../accounts/quota.js';
import { freeBlobs, freeUnlessCommitted, type ObjectBucket, type ObjectDeps } from './blobFreeing.js';
import { checkKey, checkNewKey, checkUserMetadata, OBJECT_LIMITS, objectError } from './limits.js';
import type { ObjectChecksum, ObjectRecord } from '../ports/objectRecords.js';
import type { Tag } from '../ports/records.js';
import {
  checkWriteConditions,
  newObjectRecord,
  requireLiveBucket,
  storeBody,
  visibleObject,
  type ObjectWriteAttributes,
  type WriteConditions,
} from './write.js';

export interface CopySourceRef {
  bucket: ObjectBucket;
  key: string;
  versionId?: string;
}

export interface CopyObjectInput extends WriteConditions {
  source: CopySourceRef;
  /** COPY (default) keeps the source's content headers and user metadata; REPLACE takes `attributes`'. */
  metadataDirective?: 'COPY' | 'REPLACE';
  /** COPY (default) keeps the source's tags; REPLACE takes `attributes.tags`. */
  taggingDirective?: 'COPY' | 'REPLACE';
  /** The request's attributes; `acl` always applies (default private), as in S3. */
  attributes?: ObjectWriteAttributes;
  /** Checks x-amz-copy-source-if-* against the source; throws the DomainError to answer with. */
  checkSource?: (source: ObjectRecord) => void;
}

export interface CopyObjectResult {
  etag: string;
  lastModified: number;
  /** The new object's size and tags (what its lifecycle expiration depends on). */
  size: number;
  tags: Tag[];
  versionId: string;
  sourceVersionId: string;
  checksum?: ObjectChecksum;
}

/** Reads a copy source (latest or named version) with its segments, or the DomainError for why not. */
export async function readCopySource(deps: ObjectDeps, src: CopySourceRef): Promise<ObjectRecord> {
  checkKey(src.key);
  const found = await deps.store.read((tx) => tx.objects.getObject(src.bucket.id, src.key, src.versionId, true));
  return visibleObject(found, src.key, src.versionId);
}

/**
 * Copies the source's bytes through the blob store (streaming, MD5 computed on the way) into a new
 * blob that the destination owns alone: objects never share blobs, so freeing stays per-row and
 * needs no reference counts. A multipart source becomes a single-part copy (plain MD5 ETag).
 */
export async function copyObject(
  deps: ObjectDeps,
  bucket: ObjectBucket,
  key: string,
  input: CopyObjectInput,
): Promise<CopyObjectResult> {
  checkNewKey(key);
  const replace = input.metadataDirective === 'REPLACE';
  const attrs = input.attributes ?? {};
  if (replace) checkUserMetadata(attrs.userMetadata ?? {});
  const src = await readCopySource(deps, input.source);
  input.checkSource?.(src);
  if (src.size > OBJECT_LIMITS.maxCopySourceBytes) {
    throw objectError(
      'InvalidInput',
      'copy_source_too_large',
      `The specified copy source is larger than the maximum allowable size for a copy source: ${OBJECT_LIMITS.maxCopySourceBytes} (source is ${src.size} bytes)`,
    );
  }
  const sameObject = input.source.bucket.id === bucket.id && input.source.key === key;
  if (sameObject && !replace && input.taggingDirective !== 'REPLACE' && attrs.acl === undefined) {
    throw objectError(
      'InvalidInput',
      'copy_to_itself',
      `This copy request is illegal because it is trying to copy an object to itself ('${key}') without changing the object's metadata, storage class, website redirect location or encryption attributes.`,
    );
  }
  if (input.ifNoneMatch !== undefined || input.ifMatch !== undefined) {
    await deps.store.read((tx) => checkWriteConditions(tx.objects, bucket.id, key, input));
  }
  // A small source is copied inline (its bytes, read whole, go into the index row); else into a new blob.
  deps.blobs.assertWritable?.();
  // A whole-object checksum describes the same bytes; a composite one (or none) is replaced by the
  // default CRC64NVME, computed on the way.
  const keep = src.checksum?.type === 'FULL_OBJECT' ? src.checksum : undefined;
  const raw = openSegments(deps.blobs, src.segments, src.size);
  const tap = keep === undefined ? crc64Tap(raw) : undefined;
  const body = tap?.stream ?? raw;
  const small = isInlineLength(src.size) ? await readInlineBody(body, src.size, true) : undefined;
  const put = small
    ? { blobId: undefined, size: small.bytes.length, md5: small.md5! }
    : await storeBody(deps.blobs, body, OBJECT_LIMITS.maxCopySourceBytes, true);
  let obj: ObjectRecord;
  let freed: string[];
  try {
    obj = newObjectRecord({
      bucket,
      key,
      size: put.size,
      etag: put.md5!.toString('hex'),
      now: deps.clock(),
      partsCount: 0,
      segments: small
        ? inlineSegments(small.bytes)
        : [{ blobId: put.blobId!, offset: 0, length: put.size, partNumber: 0 }],
      attrs: {
        content: replace ? attrs.content : src.content,
        userMetadata: replace ? attrs.userMetadata : src.userMetadata,
        tags: input.taggingDirective === 'REPLACE' ? attrs.tags : src.tags,
        ...(attrs.acl ? { acl: attrs.acl } : {}),
      },
      checksum: keep ?? tap!.checksum(),
    });
    freed = await deps.store.transaction(async (tx) => {
      await requireLiveBucket(tx, bucket);
      await checkWriteConditions(tx.objects, bucket.id, key, input);
      const { freedBlobIds } = await tx.objects.putObject(obj);
      await assertWithinQuota(tx, bucket.accountId);
      return freedBlobIds;
    }, 'perKey');
  } catch (err) {
    if (put.blobId !== undefined) await freeUnlessCommitted(deps, [put.blobId], err);
    throw err;
  }
  await freeBlobs(deps, freed);
  const out: CopyObjectResult = {
    etag: obj.etag,
    lastModified: obj.lastModified,
    size: obj.size,
    tags: obj.tags,
    versionId: obj.versionId,
    sourceVersionId: src.versionId,
  };
  if (obj.checksum) out.checksum = obj.checksum;
  return out;
}

/** The bytes of a copy source (or of its inclusive range), for UploadPartCopy. */
export function openCopySource(deps: ObjectDeps, src: ObjectRecord, range?: ByteRange) {
  return openSegments(deps.blobs, src.segments, src.size, range);
}
