import type {
  CannedAcl,
  ObjectRecord,
  ObjectSummary,
  PartRecord,
  UploadRecord,
  VersionSummary,
} from './objectRecords.js';
import type { Tag } from './records.js';

/**
 * Where a listing resumes: strictly after `key`, and when `skipPrefix` is set, also after every
 * key that starts with `key` (the cursor was a common prefix that has already been returned).
 */
export interface ListCursor {
  key: string;
  skipPrefix: boolean;
}

export interface ListObjectsQuery {
  prefix: string;
  delimiter?: string;
  after?: ListCursor;
  /** 0..1000 */
  maxKeys: number;
}

export interface ListObjectsPage {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Set when truncated: the cursor for the next page (the last key or common prefix returned). */
  next?: ListCursor;
  /** Index rows read to build the page (bounded by about 2 x maxKeys + 2, whatever the bucket holds). */
  rowsRead: number;
}

export interface ListVersionsQuery {
  prefix: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys: number;
}

export interface ListVersionsPage {
  versions: VersionSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
  rowsRead: number;
}

export interface ListUploadsQuery {
  prefix: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads: number;
}

export interface ListUploadsPage {
  uploads: UploadRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
  rowsRead: number;
}

export interface ListPartsPage {
  parts: PartRecord[];
  isTruncated: boolean;
  nextPartNumberMarker?: number;
}

/**
 * The object index: objects and their versions, segments (blobs) of objects, multipart uploads
 * and parts. Keys compare as raw UTF-8 bytes, the order S3 lists them in. Every method runs inside
 * the caller's MetadataStore transaction. Methods that remove rows return the blob ids those rows
 * owned, so the caller frees them after the commit; nothing here touches blobs.
 * Implementations pass test/store/objectIndexContract.ts.
 */
export interface ObjectIndexRepo {
  /**
   * The latest row of a key (which may be a delete marker), or the named version.
   * `withSegments: false` leaves `segments` empty for multipart objects (cheaper HEAD).
   */
  getObject(
    bucketId: string,
    key: string,
    versionId: string | undefined,
    withSegments: boolean,
  ): Promise<ObjectRecord | undefined>;
  /**
   * Adds `obj` as the latest version of its key (`isLatest` is ignored). When `obj.versionId` is
   * 'null', an existing 'null' version of the key is replaced. Returns the blobs of replaced rows.
   */
  putObject(obj: ObjectRecord): Promise<{ freedBlobIds: string[] }>;
  /** Removes one version; when it was the latest, the newest remaining version becomes latest. */
  deleteVersion(
    bucketId: string,
    key: string,
    versionId: string,
  ): Promise<{ deleted?: ObjectRecord; freedBlobIds: string[] }>;
  /** False when the version does not exist. */
  setObjectTags(bucketId: string, key: string, versionId: string, tags: Tag[]): Promise<boolean>;
  setObjectAcl(bucketId: string, key: string, versionId: string, acl: CannedAcl): Promise<boolean>;
  /** Latest versions that are not delete markers, in UTF-8 byte order of key. */
  listObjects(bucketId: string, q: ListObjectsQuery): Promise<ListObjectsPage>;
  /** Every version and delete marker: keys in byte order, each key's versions newest first. */
  listObjectVersions(bucketId: string, q: ListVersionsQuery): Promise<ListVersionsPage>;

  insertUpload(u: UploadRecord): Promise<void>;
  getUpload(bucketId: string, key: string, uploadId: string): Promise<UploadRecord | undefined>;
  /** Removes the upload and its parts; returns the parts' blob ids. */
  deleteUpload(uploadId: string): Promise<string[]>;
  /** Uploads by key (byte order), then by initiation. */
  listUploads(bucketId: string, q: ListUploadsQuery): Promise<ListUploadsPage>;
  /** Adds or replaces a part; returns the blob of the replaced part, if any. */
  putPart(p: PartRecord): Promise<{ freedBlobIds: string[] }>;
  /** Every part of an upload, ascending part number. */
  getParts(uploadId: string): Promise<PartRecord[]>;
  listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<ListPartsPage>;

  /** The bucket still exists (a cheap existence check on the buckets table, for committing writes). */
  bucketExists(bucketId: string): Promise<boolean>;
  /** Any object, version, delete marker or unfinished upload in the bucket. */
  hasContents(bucketId: string): Promise<boolean>;
  /** Any object, version or delete marker in the bucket (unfinished uploads not counted). */
  hasObjects(bucketId: string): Promise<boolean>;
  /** Removes every object, version, upload and part of the bucket; returns the blob ids to free. */
  deleteAllInBucket(bucketId: string): Promise<string[]>;
  /** Bytes of all versions plus unfinished parts; count of versions that are not delete markers plus unfinished parts. */
  bucketStats(bucketId: string): Promise<{ sizeBytes: number; objectCount: number }>;
  /**
   * `bucketStats` one slice at a time, for background sampling: the versions of about `maxRows`
   * rows in key order after `cursor` (undefined: from the first key; unfinished parts are counted
   * in that first slice). Every version of a key falls in one slice. `cursor` of the answer is
   * where the next slice starts, undefined after the last one.
   */
  bucketStatsSlice(bucketId: string, cursor: string | undefined, maxRows: number): Promise<BucketStatsSlice>;
  /** Which of `candidates` some object, segment or part still references. */
  referencedBlobIds(candidates: string[]): Promise<Set<string>>;
}

/** One slice of a bucket's statistics (see `ObjectIndexRepo.bucketStatsSlice`). */
export interface BucketStatsSlice {
  sizeBytes: number;
  objectCount: number;
  cursor?: string;
}
