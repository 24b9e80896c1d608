import type { Readable } from 'node:stream';
import { newOpaqueId } from '../../crypto/ids.js';
import { BlobTooLarge, type BlobPutResult, type BlobStore } from '../ports/BlobStore.js';
import type { MetadataTx } from '../ports/MetadataStore.js';
import type { ObjectIndexRepo } from '../ports/ObjectIndexRepo.js';
import { DomainError } from '../errors.js';
import type { ObjectBucket } from './blobFreeing.js';
import { cleanContent, objectError, unquoteEtag } from './limits.js';
import {
  NULL_VERSION,
  type CannedAcl,
  type ChecksumAlgorithm,
  type ChecksumType,
  type ContentHeaders,
  type ObjectChecksum,
  type ObjectRecord,
  type ObjectSegment,
} from '../ports/objectRecords.js';
import type { Tag } from '../ports/records.js';

/** Attributes of a new object (or upload), as the protocol read them from the request. */
export interface ObjectWriteAttributes {
  content?: ContentHeaders;
  userMetadata?: Record<string, string>;
  acl?: CannedAcl;
  tags?: Tag[];
  storageClass?: string;
}

/** What the caller's verifying stream learned about the body, known once it ended. */
export interface BodyFacts {
  /** MD5 of the body (the ETag); saves hashing the body twice. */
  md5: Buffer;
  /** The verified checksum to keep with the object. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string; type?: ChecksumType };
}

/** Conditional write: If-None-Match '*' (only when the key has no object) and If-Match <etag>. */
export interface WriteConditions {
  ifNoneMatch?: string;
  ifMatch?: string;
}

/** The version id a new write gets under the bucket's versioning state. */
export const newVersionId = (b: ObjectBucket): string =>
  b.objectVersioning === 'Enabled' ? newOpaqueId() : NULL_VERSION;

/** Streams a body into a new blob, mapping the size limit to the reason object_too_large. */
export async function storeBody(
  blobs: BlobStore,
  body: Readable,
  maxBytes: number,
  md5: boolean,
): Promise<BlobPutResult> {
  try {
    return await blobs.put(body, { md5, maxBytes });
  } catch (err) {
    if (err instanceof BlobTooLarge) {
      throw objectError(
        'InvalidInput',
        'object_too_large',
        `Your proposed upload exceeds the maximum allowed size of ${maxBytes} bytes`,
      );
    }
    throw err;
  }
}

/** True when an If-Match / If-None-Match list (or '*') names the ETag. */
export function etagListMatches(header: string, etag: string): boolean {
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || (v !== '' && unquoteEtag(v.startsWith('W/') ? v.slice(2) : v) === etag);
  });
}

/** Checks write preconditions against the key's current object, inside the committing transaction. */
export async function checkWriteConditions(
  repo: ObjectIndexRepo,
  bucketId: string,
  key: string,
  c: WriteConditions,
): Promise<void> {
  if (c.ifNoneMatch === undefined && c.ifMatch === undefined) return;
  if (c.ifNoneMatch !== undefined && c.ifNoneMatch.trim() !== '*') {
    throw objectError(
      'InvalidInput',
      'unsupported_condition',
      `If-None-Match on a write supports only '*' (got '${c.ifNoneMatch}')`,
    );
  }
  const cur = await repo.getObject(bucketId, key, undefined, false);
  const live = cur && !cur.isDeleteMarker ? cur : undefined;
  if (c.ifNoneMatch !== undefined && live) {
    throw objectError(
      'PreconditionFailed',
      'precondition_failed',
      `At least one of the pre-conditions you specified did not hold: If-None-Match '*' but key '${key}' exists`,
    );
  }
  if (c.ifMatch !== undefined) {
    if (!live)
      throw objectError(
        'NotFound',
        'no_such_key',
        `The specified key does not exist: '${key}' (If-Match '${c.ifMatch}')`,
        'Object',
      );
    if (!etagListMatches(c.ifMatch, live.etag)) {
      throw objectError(
        'PreconditionFailed',
        'precondition_failed',
        `At least one of the pre-conditions you specified did not hold: If-Match '${c.ifMatch}' but the ETag is "${live.etag}"`,
      );
    }
  }
}

export interface NewObject {
  bucket: ObjectBucket;
  key: string;
  size: number;
  etag: string;
  now: number;
  attrs: ObjectWriteAttributes;
  segments: ObjectSegment[];
  partsCount: number;
  checksum?: ObjectChecksum | undefined;
  versionId?: string;
}

export function newObjectRecord(n: NewObject): ObjectRecord {
  const o: ObjectRecord = {
    bucketId: n.bucket.id,
    key: n.key,
    versionId: n.versionId ?? newVersionId(n.bucket),
    isLatest: true,
    isDeleteMarker: false,
    size: n.size,
    etag: n.etag,
    lastModified: n.now,
    content: cleanContent(n.attrs.content),
    userMetadata: n.attrs.userMetadata ?? {},
    storageClass: n.attrs.storageClass ?? 'STANDARD',
    acl: n.attrs.acl ?? 'private',
    tags: n.attrs.tags ?? [],
    partsCount: n.partsCount,
    segments: n.segments,
  };
  if (n.checksum) o.checksum = n.checksum;
  return o;
}

export function deleteMarkerRecord(bucket: ObjectBucket, key: string, versionId: string, now: number): ObjectRecord {
  return {
    bucketId: bucket.id,
    key,
    versionId,
    isLatest: true,
    isDeleteMarker: true,
    size: 0,
    etag: '',
    lastModified: now,
    content: {},
    userMetadata: {},
    storageClass: 'STANDARD',
    acl: 'private',
    tags: [],
    partsCount: 0,
    segments: [],
  };
}

/** The object a read names, or the DomainError for why it cannot be read. */
export function visibleObject(o: ObjectRecord | undefined, key: string, versionId: string | undefined): ObjectRecord {
  if (!o) {
    if (versionId !== undefined)
      throw objectError(
        'NotFound',
        'no_such_version',
        `The specified version '${versionId}' of key '${key}' does not exist`,
        'Version',
      );
    throw objectError('NotFound', 'no_such_key', `The specified key does not exist: '${key}'`, 'Object');
  }
  if (o.isDeleteMarker) {
    const deleteMarker = { versionId: o.versionId };
    if (versionId !== undefined) {
      throw new DomainError('InvalidInput', `The specified version '${versionId}' of key '${key}' is a delete marker`, {
        reason: 'version_is_delete_marker',
        deleteMarker,
      });
    }
    throw new DomainError(
      'NotFound',
      `The specified key does not exist: '${key}' (its latest version is a delete marker)`,
      { reason: 'no_such_key', resource: 'Object', deleteMarker },
    );
  }
  return o;
}

/**
 * Inside a committing transaction: the bucket still exists (it may have been deleted while the
 * body streamed), so no row is ever added to a deleted bucket.
 */
export async function requireLiveBucket(tx: MetadataTx, bucket: ObjectBucket): Promise<void> {
  if (!(await tx.objects.bucketExists(bucket.id))) {
    throw new DomainError('NotFound', `The specified bucket does not exist (bucket id ${bucket.id} was deleted)`, {
      resource: 'Bucket',
      reason: 'no_such_bucket',
    });
  }
}
