import { assertWithinQuota } from '../accounts/quota.js';
import type { Readable } from 'node:stream';
import { newOpaqueId } from '../../crypto/ids.js';
import type { ListPartsPage, ListUploadsPage } from '../ports/ObjectIndexRepo.js';
import type { MetadataTx } from '../ports/MetadataStore.js';
import type { Tag } from '../ports/records.js';
import { completeInTx, type CompletedPartInput, type ExpectedChecksum } from './complete.js';
import { isCombinable } from './crcCombine.js';
import type { ByteRange } from '../objects/body.js';
import { openCopySource, readCopySource, type CopySourceRef } from '../objects/copy.js';
import { freeBlobs, freeUnlessCommitted, type ObjectBucket, type ObjectDeps } from '../objects/blobFreeing.js';
import {
  checkNewKey,
  checkMaxKeys,
  checkPartNumber,
  checkUserMetadata,
  cleanContent,
  OBJECT_LIMITS,
  objectError,
  unquoteEtag,
} from '../objects/limits.js';
import { DomainError } from '../errors.js';
import { multipartEtag } from './etag.js';
import type {
  ChecksumAlgorithm,
  ChecksumType,
  ObjectChecksum,
  ObjectRecord,
  PartRecord,
  UploadRecord,
} from '../ports/objectRecords.js';
import {
  requireLiveBucket,
  storeBody,
  type BodyFacts,
  type ObjectWriteAttributes,
  type WriteConditions,
} from '../objects/write.js';

export type { CompletedPartInput, ExpectedChecksum } from './complete.js';

export interface CreateUploadInput extends ObjectWriteAttributes {
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

export interface UploadPartResult {
  etag: string;
  size: number;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface UploadPartCopyInput {
  source: CopySourceRef;
  /** x-amz-copy-source-range, inclusive, already checked against the source size by the caller. */
  range?: ByteRange;
  checkSource?: (source: ObjectRecord) => void;
}

export interface CompleteUploadResult {
  etag: string;
  versionId: string;
  size: number;
  lastModified: number;
  tags: Tag[];
  checksum?: ObjectChecksum;
}

export interface ListUploadsInput {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}

/**
 * Multipart uploads. Parts are blobs of their own; completing makes the object's segments point
 * at those blobs (no data copy) and frees only the parts left out. Aborting frees every part.
 */
export class MultipartService {
  constructor(private readonly deps: ObjectDeps) {}

  async createMultipartUpload(
    bucket: ObjectBucket,
    key: string,
    input: CreateUploadInput = {},
  ): Promise<{ uploadId: string; upload: UploadRecord }> {
    checkNewKey(key);
    checkUserMetadata(input.userMetadata ?? {});
    const upload: UploadRecord = {
      uploadId: newOpaqueId(),
      bucketId: bucket.id,
      key,
      initiated: this.deps.clock(),
      content: cleanContent(input.content),
      userMetadata: input.userMetadata ?? {},
      storageClass: input.storageClass ?? 'STANDARD',
      acl: input.acl ?? 'private',
      tags: input.tags ?? [],
    };
    if (input.checksumType && !input.checksumAlgorithm) {
      throw objectError(
        'InvalidInput',
        'checksum_type_unsupported',
        `x-amz-checksum-type ${input.checksumType} needs a checksum algorithm`,
      );
    }
    if (input.checksumAlgorithm) {
      const a = input.checksumAlgorithm;
      // S3: CRC64NVME is always whole-object; SHA digests cannot be combined, so they are composite only.
      const type = input.checksumType ?? (a === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
      if ((type === 'FULL_OBJECT' && !isCombinable(a)) || (type === 'COMPOSITE' && a === 'CRC64NVME')) {
        throw objectError(
          'InvalidInput',
          'checksum_type_unsupported',
          `The ${type} checksum type cannot be used with the ${a} checksum algorithm`,
        );
      }
      upload.checksumAlgorithm = a;
      upload.checksumType = type;
    }
    await this.deps.store.transaction(async (tx) => {
      await requireLiveBucket(tx, bucket);
      await tx.objects.insertUpload(upload);
    }, 'perKey');
    return { uploadId: upload.uploadId, upload };
  }

  async uploadPart(
    bucket: ObjectBucket,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    input: { verified?: Promise<BodyFacts> } = {},
  ): Promise<UploadPartResult> {
    checkPartNumber(partNumber);
    await this.deps.store.read((tx) => this.requireUpload(tx, bucket, key, uploadId));
    const put = await storeBody(this.deps.blobs, body, OBJECT_LIMITS.maxPartBytes, input.verified === undefined);
    let part: PartRecord;
    try {
      const facts = input.verified ? await input.verified : { md5: put.md5! };
      part = {
        uploadId,
        partNumber,
        blobId: put.blobId,
        size: put.size,
        etag: facts.md5.toString('hex'),
        lastModified: this.deps.clock(),
      };
      if (facts.checksum) part.checksum = { algorithm: facts.checksum.algorithm, value: facts.checksum.value };
      return await this.commitPart(bucket, key, part);
    } catch (err) {
      await freeUnlessCommitted(this.deps, [put.blobId], err);
      throw err;
    }
  }

  /** UploadPartCopy: the source's bytes (or range) streamed into a new part blob. */
  async uploadPartCopy(
    bucket: ObjectBucket,
    key: string,
    uploadId: string,
    partNumber: number,
    input: UploadPartCopyInput,
  ): Promise<UploadPartResult & { lastModified: number; sourceVersionId: string }> {
    checkPartNumber(partNumber);
    await this.deps.store.read((tx) => this.requireUpload(tx, bucket, key, uploadId));
    const src = await readCopySource(this.deps, input.source);
    input.checkSource?.(src);
    const length = input.range ? input.range.end - input.range.start + 1 : src.size;
    if (length > OBJECT_LIMITS.maxPartBytes) {
      throw objectError(
        'InvalidInput',
        'copy_range_too_large',
        `The specified copy range is ${length} bytes; a part is at most ${OBJECT_LIMITS.maxPartBytes}`,
      );
    }
    const put = await storeBody(
      this.deps.blobs,
      openCopySource(this.deps, src, input.range),
      OBJECT_LIMITS.maxPartBytes,
      true,
    );
    try {
      const now = this.deps.clock();
      const part: PartRecord = {
        uploadId,
        partNumber,
        blobId: put.blobId,
        size: put.size,
        etag: put.md5!.toString('hex'),
        lastModified: now,
      };
      const r = await this.commitPart(bucket, key, part);
      return { ...r, lastModified: now, sourceVersionId: src.versionId };
    } catch (err) {
      await freeUnlessCommitted(this.deps, [put.blobId], err);
      throw err;
    }
  }

  async completeMultipartUpload(
    bucket: ObjectBucket,
    key: string,
    uploadId: string,
    parts: readonly CompletedPartInput[],
    conditions: WriteConditions = {},
    expectedChecksum?: ExpectedChecksum,
  ): Promise<CompleteUploadResult> {
    let object: ObjectRecord;
    try {
      const done = await this.deps.store.transaction(async (tx) => {
        const upload = await this.requireUpload(tx, bucket, key, uploadId);
        return completeInTx(tx.objects, bucket, upload, parts, conditions, this.deps.clock(), expectedChecksum);
      }, 'perKey');
      await freeBlobs(this.deps, done.freed);
      object = done.object;
    } catch (err) {
      const again = err instanceof DomainError && err.details.reason === 'no_such_upload';
      const current = again ? await this.completedBefore(bucket, key, parts) : undefined;
      if (current === undefined) throw err;
      object = current;
    }
    const out: CompleteUploadResult = {
      etag: object.etag,
      versionId: object.versionId,
      size: object.size,
      lastModified: object.lastModified,
      tags: object.tags,
    };
    if (object.checksum) out.checksum = object.checksum;
    return out;
  }

  /**
   * A repeated CompleteMultipartUpload (S3 answers it with success again): the upload is gone, but
   * the key's current version is the multipart object these very parts make (same part count, and
   * the ETag the listed part ETags give). Once another write replaced it, the upload is NoSuchUpload.
   */
  private async completedBefore(
    bucket: ObjectBucket,
    key: string,
    parts: readonly CompletedPartInput[],
  ): Promise<ObjectRecord | undefined> {
    if (parts.length === 0) return undefined;
    const current = await this.deps.store.read((tx) => tx.objects.getObject(bucket.id, key, undefined, false));
    if (current === undefined || current.isDeleteMarker || current.partsCount !== parts.length) return undefined;
    return current.etag === multipartEtag(parts.map((p) => unquoteEtag(p.etag))) ? current : undefined;
  }

  async abortMultipartUpload(bucket: ObjectBucket, key: string, uploadId: string): Promise<void> {
    const freed = await this.deps.store.transaction(async (tx) => {
      await this.requireUpload(tx, bucket, key, uploadId);
      return tx.objects.deleteUpload(uploadId);
    }, 'perKey');
    await freeBlobs(this.deps, freed);
  }

  async listParts(
    bucket: ObjectBucket,
    key: string,
    uploadId: string,
    q: { partNumberMarker?: number; maxParts?: number } = {},
  ): Promise<ListPartsPage & { upload: UploadRecord }> {
    const marker = q.partNumberMarker ?? 0;
    if (!Number.isInteger(marker) || marker < 0)
      throw objectError(
        'InvalidInput',
        'invalid_parameter',
        `part-number-marker must be a non-negative integer (got ${marker})`,
      );
    const max = checkMaxKeys(q.maxParts ?? 1000, 'max-parts');
    return this.deps.store.read(async (tx) => {
      const upload = await this.requireUpload(tx, bucket, key, uploadId);
      return { ...(await tx.objects.listParts(uploadId, marker, max)), upload };
    });
  }

  async listMultipartUploads(bucket: ObjectBucket, q: ListUploadsInput = {}): Promise<ListUploadsPage> {
    const maxUploads = checkMaxKeys(q.maxUploads ?? 1000, 'max-uploads');
    return this.deps.store.read((tx) =>
      tx.objects.listUploads(bucket.id, {
        prefix: q.prefix ?? '',
        ...(q.delimiter ? { delimiter: q.delimiter } : {}),
        maxUploads,
        ...(q.keyMarker ? { keyMarker: q.keyMarker } : {}),
        ...(q.uploadIdMarker && q.keyMarker ? { uploadIdMarker: q.uploadIdMarker } : {}),
      }),
    );
  }

  /** Records a part; the upload must still exist at commit (it may have been aborted meanwhile). */
  private async commitPart(bucket: ObjectBucket, key: string, part: PartRecord): Promise<UploadPartResult> {
    const freed = await this.deps.store.transaction(async (tx) => {
      await this.requireUpload(tx, bucket, key, part.uploadId);
      const { freedBlobIds } = await tx.objects.putPart(part);
      await assertWithinQuota(tx, bucket.accountId);
      return freedBlobIds;
    }, 'perKey');
    await freeBlobs(this.deps, freed);
    const out: UploadPartResult = { etag: part.etag, size: part.size };
    if (part.checksum) out.checksum = part.checksum;
    return out;
  }

  private async requireUpload(
    tx: MetadataTx,
    bucket: ObjectBucket,
    key: string,
    uploadId: string,
  ): Promise<UploadRecord> {
    const u = await tx.objects.getUpload(bucket.id, key, uploadId);
    if (!u) {
      throw objectError(
        'NotFound',
        'no_such_upload',
        `The specified multipart upload does not exist: upload id '${uploadId}' for key '${key}' (it may have been aborted or completed)`,
        'Upload',
      );
    }
    return u;
  }
}
