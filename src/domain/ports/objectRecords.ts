/**
 * Records of the object index (objects and their versions, multipart uploads, parts), as the
 * stores keep them and the domain services return them. Protocol-free. Times are epoch ms.
 * ETags are stored and returned WITHOUT quotes: `<md5 hex>` or `<md5 hex>-<parts>`.
 */
import type { Tag } from './records.js';

import type { ChecksumAlgorithm } from '../../crypto/checksums.js';

export type { ChecksumAlgorithm };
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';
export type CannedAcl = 'private' | 'public-read';

/** A checksum as S3 returns it: base64 of the digest; composite ones end with `-<parts>`. */
export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
  type: ChecksumType;
}

export interface ContentHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
}

/**
 * `length` bytes of blob `blobId` from `offset`. `partNumber` is 0 for a single-part object.
 * `checksum`: the part's checksum (base64, in the object's checksum algorithm), when it had one.
 * `inline`: a small body kept in the object index itself (at most MAX_INLINE_BYTES): the bytes are
 * `inline.subarray(offset, offset + length)` and `blobId` is '' (no blob file exists).
 */
export interface ObjectSegment {
  blobId: string;
  offset: number;
  length: number;
  partNumber: number;
  checksum?: string;
  inline?: Buffer;
}

/** The version id of objects written while versioning was never enabled or is suspended. */
export const NULL_VERSION = 'null';

export interface ObjectRecord {
  bucketId: string;
  key: string;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  etag: string;
  lastModified: number;
  content: ContentHeaders;
  userMetadata: Record<string, string>;
  checksum?: ObjectChecksum;
  storageClass: string;
  acl: CannedAcl;
  tags: Tag[];
  /** 0 for an object written by one PUT or copy; the number of parts for a completed upload. */
  partsCount: number;
  /** The body, in order. Empty for delete markers and empty objects; may be left unloaded (see repo). */
  segments: ObjectSegment[];
}

/** One row of a listing (ListObjects, ListObjectsV2). */
export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
  storageClass: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

/** One row of ListObjectVersions: a version or a delete marker. */
export interface VersionSummary extends ObjectSummary {
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
}

export interface UploadRecord {
  uploadId: string;
  bucketId: string;
  key: string;
  initiated: number;
  content: ContentHeaders;
  userMetadata: Record<string, string>;
  storageClass: string;
  acl: CannedAcl;
  tags: Tag[];
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  blobId: string;
  size: number;
  /** MD5 hex of the part, without quotes. */
  etag: string;
  /** The part's checksum (base64), when the request carried one. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  lastModified: number;
}
