import type { ObjectIndexRepo } from '../ports/ObjectIndexRepo.js';
import { compositeChecksum } from '../../crypto/checksums.js';
import { multipartEtag } from './etag.js';
import { combineParts } from './crcCombine.js';
import type { ObjectBucket } from '../objects/blobFreeing.js';
import { OBJECT_LIMITS, objectError, unquoteEtag } from '../objects/limits.js';
import type {
  ChecksumAlgorithm,
  ObjectChecksum,
  ObjectRecord,
  PartRecord,
  UploadRecord,
} from '../ports/objectRecords.js';
import { checkWriteConditions, newObjectRecord, type WriteConditions } from '../objects/write.js';

/** One <Part> of a CompleteMultipartUpload request. */
export interface CompletedPartInput {
  partNumber: number;
  etag: string;
  /** Checksum the client listed for the part (in the upload's algorithm), base64. */
  checksum?: string;
}

export interface CompleteResult {
  object: ObjectRecord;
  freed: string[];
}

/** A whole-object checksum the client sent with CompleteMultipartUpload (x-amz-checksum-*). */
export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

/**
 * Completes an upload inside the caller's transaction: checks the part list, builds the object
 * from the parts' blobs as segments (no byte is copied), removes the upload, and returns the blobs
 * to free (parts not used, the replaced object's blobs).
 */
export async function completeInTx(
  repo: ObjectIndexRepo,
  bucket: ObjectBucket,
  upload: UploadRecord,
  requested: readonly CompletedPartInput[],
  conditions: WriteConditions,
  now: number,
  expected?: ExpectedChecksum,
): Promise<CompleteResult> {
  if (requested.length === 0) {
    throw objectError(
      'InvalidInput',
      'empty_part_list',
      `CompleteMultipartUpload for upload '${upload.uploadId}' lists no parts; you must specify at least one part`,
    );
  }
  for (let i = 1; i < requested.length; i++) {
    if (requested[i].partNumber <= requested[i - 1].partNumber) {
      throw objectError(
        'InvalidInput',
        'part_order',
        `The list of parts was not in ascending order: part ${requested[i].partNumber} follows part ${requested[i - 1].partNumber}`,
        'Part',
      );
    }
  }
  await checkWriteConditions(repo, bucket.id, upload.key, conditions);
  const stored = new Map<number, PartRecord>((await repo.getParts(upload.uploadId)).map((p) => [p.partNumber, p]));
  const used: PartRecord[] = [];
  for (const r of requested) {
    const p = stored.get(r.partNumber);
    if (!p || p.etag !== unquoteEtag(r.etag)) {
      throw objectError(
        'InvalidInput',
        'part_mismatch',
        `One or more of the specified parts could not be found or its entity tag did not match: part ${r.partNumber} with ETag ${r.etag}` +
          (p ? ` (stored ETag "${p.etag}")` : ' (no such part)'),
        'Part',
      );
    }
    if (r.checksum !== undefined && p.checksum !== undefined && r.checksum !== p.checksum.value) {
      throw objectError(
        'InvalidInput',
        'part_mismatch',
        `The checksum ${r.checksum} listed for part ${r.partNumber} does not match the part's ${p.checksum.algorithm} ${p.checksum.value}`,
        'Part',
      );
    }
    used.push(p);
  }
  for (let i = 0; i < used.length - 1; i++) {
    if (used[i].size < OBJECT_LIMITS.minPartBytes) {
      throw objectError(
        'InvalidInput',
        'part_too_small',
        `Your proposed upload is smaller than the minimum allowed size: part ${used[i].partNumber} is ${used[i].size} bytes, every part but the last must be at least ${OBJECT_LIMITS.minPartBytes}`,
        'Part',
      );
    }
  }
  const size = used.reduce((s, p) => s + p.size, 0);
  const checksum = upload.checksumAlgorithm
    ? await uploadChecksum(upload, upload.checksumAlgorithm, used)
    : defaultChecksum(used);
  if (expected) checkExpected(expected, checksum);
  const object = newObjectRecord({
    bucket,
    key: upload.key,
    size,
    etag: multipartEtag(used.map((p) => p.etag)),
    now,
    partsCount: used.length,
    segments: used.map((p) => ({
      blobId: p.blobId,
      offset: 0,
      length: p.size,
      partNumber: p.partNumber,
      ...(p.checksum && p.checksum.algorithm === upload.checksumAlgorithm ? { checksum: p.checksum.value } : {}),
    })),
    attrs: {
      content: upload.content,
      userMetadata: upload.userMetadata,
      acl: upload.acl,
      tags: upload.tags,
      storageClass: upload.storageClass,
    },
    checksum,
  });
  const { freedBlobIds } = await repo.putObject(object);
  const usedBlobs = new Set(used.map((p) => p.blobId));
  const unused = (await repo.deleteUpload(upload.uploadId)).filter((b) => !usedBlobs.has(b));
  return { object, freed: [...unused, ...freedBlobIds] };
}

/**
 * An upload made without a checksum algorithm: like S3, the object gets a whole-object CRC64NVME,
 * combined from the CRC64NVME each part was given while it streamed. A part without one (from
 * before this default, or copied by UploadPartCopy) leaves the object without a checksum.
 */
function defaultChecksum(parts: readonly PartRecord[]): ObjectChecksum | undefined {
  if (!parts.every((p) => p.checksum?.algorithm === 'CRC64NVME')) return undefined;
  const value = combineParts(
    'CRC64NVME',
    parts.map((p) => ({ value: p.checksum!.value, size: p.size })),
  );
  return { algorithm: 'CRC64NVME', value, type: 'FULL_OBJECT' };
}

async function uploadChecksum(
  upload: UploadRecord,
  algorithm: ChecksumAlgorithm,
  parts: readonly PartRecord[],
): Promise<ObjectChecksum> {
  for (const p of parts) {
    if (p.checksum?.algorithm !== algorithm) {
      throw objectError(
        'InvalidInput',
        'checksum_algorithm_mismatch',
        `The upload was created using a ${algorithm} checksum. The complete request must include the checksum for each part: part ${p.partNumber} has ${p.checksum ? p.checksum.algorithm : 'none'}`,
      );
    }
  }
  if (upload.checksumType === 'FULL_OBJECT') {
    const value = combineParts(
      algorithm,
      parts.map((p) => ({ value: p.checksum!.value, size: p.size })),
    );
    return { algorithm, value, type: 'FULL_OBJECT' };
  }
  return {
    algorithm,
    value: await compositeChecksum(
      algorithm,
      parts.map((p) => p.checksum!.value),
    ),
    type: 'COMPOSITE',
  };
}

/** The client's whole-object checksum must name the upload's algorithm and equal what the parts give. */
function checkExpected(expected: ExpectedChecksum, got: ObjectChecksum | undefined): void {
  if (!got || got.algorithm !== expected.algorithm) {
    throw objectError(
      'InvalidInput',
      'checksum_algorithm_mismatch',
      `The upload was created with ${got ? got.algorithm + ' ' + got.type : 'no'} checksum; the complete request sent ${expected.algorithm}`,
    );
  }
  const want = expected.value.replace(/-\d+$/, '');
  const have = got.value.replace(/-\d+$/, '');
  if (want !== have) {
    throw objectError(
      'InvalidInput',
      'checksum_mismatch',
      `The ${expected.algorithm} you specified (${expected.value}) did not match the calculated checksum ${got.value}`,
    );
  }
}
