import type {
  CannedAcl,
  ChecksumAlgorithm,
  ChecksumType,
  ContentHeaders,
  ObjectRecord,
  ObjectSummary,
  PartRecord,
  UploadRecord,
  VersionSummary,
} from '../../domain/ports/objectRecords.js';
import type { Tag } from '../../domain/ports/records.js';
import { isStringMap, isTagList, parseColumn } from './jsonColumns.js';

/** Column values of the six content headers, shared by object_versions and uploads. */
export interface ContentColumns {
  content_type: string | null;
  cache_control: string | null;
  content_disposition: string | null;
  content_encoding: string | null;
  content_language: string | null;
  expires: string | null;
}

export interface VersionRow extends ContentColumns {
  seq: number;
  bucket_id: string;
  key: Buffer;
  version_id: string;
  is_latest: number;
  is_delete_marker: number;
  size: number;
  etag: string;
  last_modified: number;
  user_metadata: string | null;
  checksum_algorithm: ChecksumAlgorithm | null;
  checksum_value: string | null;
  checksum_type: ChecksumType | null;
  storage_class: string;
  acl: CannedAcl;
  tags: string | null;
  blob_id: string | null;
  parts_count: number;
}

export type SummaryRow = Pick<
  VersionRow,
  | 'seq'
  | 'key'
  | 'size'
  | 'etag'
  | 'last_modified'
  | 'storage_class'
  | 'checksum_algorithm'
  | 'checksum_type'
  | 'version_id'
  | 'is_latest'
  | 'is_delete_marker'
>;

export interface UploadRow extends ContentColumns {
  seq: number;
  upload_id: string;
  bucket_id: string;
  key: Buffer;
  initiated: number;
  user_metadata: string | null;
  storage_class: string;
  acl: CannedAcl;
  tags: string | null;
  checksum_algorithm: ChecksumAlgorithm | null;
  checksum_type: ChecksumType | null;
}

export interface PartRow {
  upload_id: string;
  part_number: number;
  blob_id: string;
  size: number;
  etag: string;
  checksum_algorithm: ChecksumAlgorithm | null;
  checksum_value: string | null;
  last_modified: number;
}

export const SUMMARY_COLUMNS = `seq, key, size, etag, last_modified, storage_class, checksum_algorithm, checksum_type,
  version_id, is_latest, is_delete_marker`;

export function contentOf(r: ContentColumns): ContentHeaders {
  const c: ContentHeaders = {};
  if (r.content_type !== null) c.contentType = r.content_type;
  if (r.cache_control !== null) c.cacheControl = r.cache_control;
  if (r.content_disposition !== null) c.contentDisposition = r.content_disposition;
  if (r.content_encoding !== null) c.contentEncoding = r.content_encoding;
  if (r.content_language !== null) c.contentLanguage = r.content_language;
  if (r.expires !== null) c.expires = r.expires;
  return c;
}

export const contentParams = (c: ContentHeaders) => ({
  content_type: c.contentType ?? null,
  cache_control: c.cacheControl ?? null,
  content_disposition: c.contentDisposition ?? null,
  content_encoding: c.contentEncoding ?? null,
  content_language: c.contentLanguage ?? null,
  expires: c.expires ?? null,
});

/**
 * The columns a write sets on a version row besides its identity (bucket, key, version id), its
 * is_latest flag, is_delete_marker and blob_id, in the order versionValues returns them.
 */
export const VERSION_WRITE_COLUMNS = [
  'size',
  'etag',
  'last_modified',
  'content_type',
  'cache_control',
  'content_disposition',
  'content_encoding',
  'content_language',
  'expires',
  'user_metadata',
  'checksum_algorithm',
  'checksum_value',
  'checksum_type',
  'storage_class',
  'acl',
  'tags',
  'parts_count',
] as const;

/** The values of VERSION_WRITE_COLUMNS for `obj` (positional parameters: no named-parameter lookup per column). */
export function versionValues(obj: ObjectRecord, partsCount: number): unknown[] {
  const c = obj.content;
  return [
    obj.size,
    obj.etag,
    obj.lastModified,
    c.contentType ?? null,
    c.cacheControl ?? null,
    c.contentDisposition ?? null,
    c.contentEncoding ?? null,
    c.contentLanguage ?? null,
    c.expires ?? null,
    jsonOrNull(obj.userMetadata),
    obj.checksum?.algorithm ?? null,
    obj.checksum?.value ?? null,
    obj.checksum?.type ?? null,
    obj.storageClass,
    obj.acl,
    obj.tags.length === 0 ? null : JSON.stringify(obj.tags),
    partsCount,
  ];
}

/** Empty maps and lists are stored as NULL, so the common case costs no JSON at all. */
export const jsonOrNull = (v: object): string | null => (Object.keys(v).length === 0 ? null : JSON.stringify(v));
export const metaOf = (s: string | null): Record<string, string> =>
  s === null ? {} : parseColumn(s, 'user_metadata', isStringMap);
export const tagsOf = (s: string | null): Tag[] => (s === null ? [] : parseColumn(s, 'tags', isTagList));

/** The columns of a version row other than its bucket and key, in the order rawVersionRow reads them. */
export const VERSION_VALUE_COLUMNS = `seq, version_id, is_latest, is_delete_marker, size, etag, last_modified, content_type,
  cache_control, content_disposition, content_encoding, content_language, expires, user_metadata, checksum_algorithm,
  checksum_value, checksum_type, storage_class, acl, tags, blob_id, parts_count`;

/**
 * A version row from a `.raw()` statement selecting VERSION_VALUE_COLUMNS (an array, about half the
 * cost of better-sqlite3 building a 24-property object per row), with the bucket and key the
 * lookup was made with.
 */
export function rawVersionRow(v: unknown[], bucketId: string, key: Buffer): VersionRow {
  return {
    seq: v[0] as number,
    bucket_id: bucketId,
    key,
    version_id: v[1] as string,
    is_latest: v[2] as number,
    is_delete_marker: v[3] as number,
    size: v[4] as number,
    etag: v[5] as string,
    last_modified: v[6] as number,
    content_type: v[7] as string | null,
    cache_control: v[8] as string | null,
    content_disposition: v[9] as string | null,
    content_encoding: v[10] as string | null,
    content_language: v[11] as string | null,
    expires: v[12] as string | null,
    user_metadata: v[13] as string | null,
    checksum_algorithm: v[14] as ChecksumAlgorithm | null,
    checksum_value: v[15] as string | null,
    checksum_type: v[16] as ChecksumType | null,
    storage_class: v[17] as string,
    acl: v[18] as CannedAcl,
    tags: v[19] as string | null,
    blob_id: v[20] as string | null,
    parts_count: v[21] as number,
  };
}

export function toObject(r: VersionRow): ObjectRecord {
  const o: ObjectRecord = {
    bucketId: r.bucket_id,
    key: r.key.toString('utf8'),
    versionId: r.version_id,
    isLatest: r.is_latest === 1,
    isDeleteMarker: r.is_delete_marker === 1,
    size: r.size,
    etag: r.etag,
    lastModified: r.last_modified,
    content: contentOf(r),
    userMetadata: metaOf(r.user_metadata),
    storageClass: r.storage_class,
    acl: r.acl,
    tags: tagsOf(r.tags),
    partsCount: r.parts_count,
    segments: r.blob_id === null ? [] : [{ blobId: r.blob_id, offset: 0, length: r.size, partNumber: 0 }],
  };
  if (r.checksum_algorithm !== null && r.checksum_value !== null) {
    o.checksum = { algorithm: r.checksum_algorithm, value: r.checksum_value, type: r.checksum_type ?? 'FULL_OBJECT' };
  }
  return o;
}

export function toSummary(r: SummaryRow): ObjectSummary {
  const s: ObjectSummary = {
    key: r.key.toString('utf8'),
    size: r.size,
    etag: r.etag,
    lastModified: r.last_modified,
    storageClass: r.storage_class,
  };
  if (r.checksum_algorithm !== null) s.checksumAlgorithm = r.checksum_algorithm;
  if (r.checksum_type !== null) s.checksumType = r.checksum_type;
  return s;
}

export const toVersionSummary = (r: SummaryRow): VersionSummary => ({
  ...toSummary(r),
  versionId: r.version_id,
  isLatest: r.is_latest === 1,
  isDeleteMarker: r.is_delete_marker === 1,
});

export function toUpload(r: UploadRow): UploadRecord {
  const u: UploadRecord = {
    uploadId: r.upload_id,
    bucketId: r.bucket_id,
    key: r.key.toString('utf8'),
    initiated: r.initiated,
    content: contentOf(r),
    userMetadata: metaOf(r.user_metadata),
    storageClass: r.storage_class,
    acl: r.acl,
    tags: tagsOf(r.tags),
  };
  if (r.checksum_algorithm !== null) u.checksumAlgorithm = r.checksum_algorithm;
  if (r.checksum_type !== null) u.checksumType = r.checksum_type;
  return u;
}

export function toPart(r: PartRow): PartRecord {
  const p: PartRecord = {
    uploadId: r.upload_id,
    partNumber: r.part_number,
    blobId: r.blob_id,
    size: r.size,
    etag: r.etag,
    lastModified: r.last_modified,
  };
  if (r.checksum_algorithm !== null && r.checksum_value !== null) {
    p.checksum = { algorithm: r.checksum_algorithm, value: r.checksum_value };
  }
  return p;
}
