import type { ObjectRecord } from '../../../domain/ports/objectRecords.js';
import type { BucketRecord } from '../../../domain/ports/records.js';
import type { S3Services } from '../../services.js';
import type { S3Query, S3Reply } from '../../types.js';
import { encodeMetadataValue } from '../../rfc2047.js';
import { httpDate } from '../../xml.js';

/** S3's Content-Type for objects stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** `response-*` query parameters of GetObject/HeadObject and the header each one overrides. */
const OVERRIDES: ReadonlyArray<[string, string]> = [
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
];

export const quoteEtag = (etag: string): string => `"${etag}"`;

/** What decides a current version's `x-amz-expiration` (the lifecycle service), and what it looks at. */
type ExpirationSource = S3Services['lifecycle'];
type ExpirationCandidate = Parameters<ExpirationSource['expirationOf']>[1];

/** A rule id as header text: UTF-8 bytes beyond US-ASCII as Latin-1 characters, control characters left out. */
const headerText = (s: string): string =>
  Buffer.from(s, 'utf8')
    .toString('latin1')
    // eslint-disable-next-line no-control-regex -- control characters cannot be in a header value
    .replace(/[\x00-\x1f\x7f]/g, '');

/**
 * `x-amz-expiration: expiry-date="…", rule-id="…"` on a write or a read of the current version, when
 * an enabled lifecycle rule's Expiration applies to it (as S3).
 */
export function setExpirationHeader(
  reply: S3Reply,
  lifecycle: ExpirationSource,
  bucket: BucketRecord,
  o: ExpirationCandidate,
): void {
  const e = lifecycle.expirationOf(bucket, o);
  if (e !== undefined)
    reply.header('x-amz-expiration', `expiry-date="${httpDate(e.at)}", rule-id="${headerText(e.ruleId)}"`);
}

/** x-amz-version-id is sent once a bucket has ever had versioning (then 'null' versions say so too). */
export function setVersionHeader(reply: S3Reply, bucket: BucketRecord, versionId: string | undefined): void {
  if (versionId !== undefined && bucket.objectVersioning !== 'NeverEnabled')
    reply.header('x-amz-version-id', versionId);
}

/**
 * The version header of a write (PutObject, CopyObject, CompleteMultipartUpload): as S3 (and
 * moto, MinIO), a write into a versioning-suspended bucket makes the `null` version and answers
 * without `x-amz-version-id`; a versioning-enabled bucket names the new version.
 */
export function setWriteVersionHeader(reply: S3Reply, bucket: BucketRecord, versionId: string | undefined): void {
  if (versionId === NULL_VERSION_ID) return;
  setVersionHeader(reply, bucket, versionId);
}
const NULL_VERSION_ID = 'null';

export function setChecksumHeaders(reply: S3Reply, obj: Pick<ObjectRecord, 'checksum'>): void {
  if (!obj.checksum) return;
  reply.header(`x-amz-checksum-${obj.checksum.algorithm.toLowerCase()}`, obj.checksum.value);
  reply.header('x-amz-checksum-type', obj.checksum.type);
}

/**
 * The checksum a part of a multipart object was uploaded with (base64, in the object's algorithm),
 * when the upload had a checksum algorithm; undefined for single-part objects.
 */
export function partChecksum(
  obj: Pick<ObjectRecord, 'segments' | 'partsCount'>,
  partNumber: number,
): string | undefined {
  if (obj.partsCount === 0) return undefined;
  return obj.segments.find((s) => s.partNumber === partNumber && s.checksum !== undefined)?.checksum;
}

/**
 * The checksum headers of a read with x-amz-checksum-mode ENABLED: the whole object's checksum for
 * the whole object; for `partNumber` of a multipart object, that part's checksum (as S3 answers
 * GetObject/HeadObject by part); none for a byte range, which no stored checksum describes.
 */
function setReadChecksumHeaders(reply: S3Reply, obj: ObjectRecord, partNumber: number | undefined): void {
  if (!obj.checksum) return;
  if (partNumber === undefined || obj.partsCount === 0) return setChecksumHeaders(reply, obj);
  const value = partChecksum(obj, partNumber);
  if (value === undefined) return;
  reply.header(`x-amz-checksum-${obj.checksum.algorithm.toLowerCase()}`, value);
  reply.header('x-amz-checksum-type', obj.checksum.type);
}

/**
 * The representation headers GetObject and HeadObject share (not Content-Length/Range: the caller
 * knows whether it sends the whole object or a range).
 */
export function setObjectHeaders(
  reply: S3Reply,
  bucket: BucketRecord,
  obj: ObjectRecord,
  opts: {
    query: S3Query;
    checksumMode: boolean;
    partNumber?: number;
  },
): void {
  const c = obj.content;
  reply.header('ETag', quoteEtag(obj.etag));
  reply.header('Last-Modified', httpDate(obj.lastModified));
  reply.header('Accept-Ranges', 'bytes');
  reply.header('Content-Type', c.contentType ?? DEFAULT_CONTENT_TYPE);
  if (c.cacheControl !== undefined) reply.header('Cache-Control', c.cacheControl);
  if (c.contentDisposition !== undefined) reply.header('Content-Disposition', c.contentDisposition);
  if (c.contentEncoding !== undefined) reply.header('Content-Encoding', c.contentEncoding);
  if (c.contentLanguage !== undefined) reply.header('Content-Language', c.contentLanguage);
  if (c.expires !== undefined) reply.header('Expires', c.expires);
  for (const [name, value] of Object.entries(obj.userMetadata))
    reply.header(`x-amz-meta-${name}`, encodeMetadataValue(value));
  if (obj.storageClass !== 'STANDARD') reply.header('x-amz-storage-class', obj.storageClass);
  if (obj.tags.length > 0) reply.header('x-amz-tagging-count', obj.tags.length);
  if (opts.partNumber !== undefined && obj.partsCount > 0) reply.header('x-amz-mp-parts-count', obj.partsCount);
  setVersionHeader(reply, bucket, obj.versionId);
  if (opts.checksumMode) setReadChecksumHeaders(reply, obj, opts.partNumber);
  for (const [param, header] of OVERRIDES) {
    const v = opts.query.get(param);
    // Control characters were refused before the read; text beyond Latin-1 is sent as its UTF-8 bytes.
    if (v !== undefined)
      reply.header(header, /[\u0100-\uffff]/.test(v) ? Buffer.from(v, 'utf8').toString('latin1') : v);
  }
}
