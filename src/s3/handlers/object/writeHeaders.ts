import type { Tag } from '../../../domain/ports/records.js';
import type { CannedAcl, ContentHeaders } from '../../../domain/ports/objectRecords.js';
import { S3Error, type S3ErrorCode } from '../../errors.js';
import { decodeMetadataValue } from '../../rfc2047.js';

/**
 * What PutObject, CopyObject (REPLACE) and CreateMultipartUpload read from request headers:
 * content headers, user metadata, storage class, canned ACL and tagging. Limits are checked here
 * so the answer names the header and value before any byte is stored.
 */
export interface WriteAttributes {
  content: ContentHeaders;
  userMetadata: Record<string, string>;
  acl?: CannedAcl;
  tags?: Tag[];
}

type HeaderBag = Record<string, string | string[] | undefined>;

const META_PREFIX = 'x-amz-meta-';
const CONTENT_HEADERS: ReadonlyArray<[keyof ContentHeaders, string]> = [
  ['contentType', 'content-type'],
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
];

const fail = (code: S3ErrorCode, message: string) => new S3Error(code, message);

export const headerValue = (h: HeaderBag, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export function readContentHeaders(h: HeaderBag): ContentHeaders {
  const out: ContentHeaders = {};
  for (const [field, name] of CONTENT_HEADERS) {
    const v = headerValue(h, name);
    if (v !== undefined) out[field] = v;
  }
  // aws-chunked is a transfer detail of the request, never a property of the object: only that
  // token is taken out; the rest is stored as sent (`deflate, gzip` stays `deflate, gzip`).
  if (out.contentEncoding !== undefined) {
    const parts = out.contentEncoding.split(',');
    const kept = parts.filter((s) => s.trim().toLowerCase() !== 'aws-chunked');
    if (kept.length !== parts.length) {
      const rest = kept.join(',').trim();
      if (rest === '') delete out.contentEncoding;
      else out.contentEncoding = rest;
    }
  }
  return out;
}

/**
 * x-amz-meta-* headers (names lowercased, as S3 stores them; RFC 2047 encoded-words decoded). The 2 KB limit is checked by the
 * domain services before any byte is stored (MetadataTooLarge).
 */
export function readUserMetadata(h: HeaderBag): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const name of Object.keys(h)) {
    if (name.startsWith(META_PREFIX))
      meta[name.slice(META_PREFIX.length)] = decodeMetadataValue(headerValue(h, name) ?? '');
  }
  return meta;
}

export function checkStorageClass(h: HeaderBag): void {
  const v = headerValue(h, 'x-amz-storage-class');
  if (v !== undefined && v !== 'STANDARD') {
    throw fail(
      'InvalidStorageClass',
      `The storage class you specified is not valid: '${v}' (Sailbucket stores STANDARD only)`,
    );
  }
}

export function readCannedAcl(h: HeaderBag): CannedAcl | undefined {
  const v = headerValue(h, 'x-amz-acl');
  if (v === undefined) return undefined;
  if (v === 'private' || v === 'public-read') return v;
  throw fail('InvalidArgument', `The canned ACL '${v}' is not supported: use private or public-read`);
}

/** x-amz-tagging: a URL query string `k1=v1&k2=v2` (≤10 tags, key ≤128, value ≤256, keys unique). */
export function parseTaggingHeader(value: string | undefined): Tag[] | undefined {
  if (value === undefined) return undefined;
  const tags: Tag[] = [];
  const params = new URLSearchParams(value);
  for (const [key, v] of params) tags.push({ key, value: v });
  validateTags(tags);
  return tags;
}

export function validateTags(tags: readonly Tag[]): void {
  if (tags.length > 10) throw fail('BadRequest', `Object tags cannot be greater than 10 (got ${tags.length})`);
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.key.length < 1 || t.key.length > 128)
      throw fail('InvalidTag', `The TagKey '${t.key}' must be 1 to 128 characters`);
    if (t.value.length > 256) throw fail('InvalidTag', `The TagValue for key '${t.key}' is longer than 256 characters`);
    if (seen.has(t.key)) throw fail('InvalidTag', `Cannot provide multiple Tags with the same key '${t.key}'`);
    seen.add(t.key);
  }
}

export function readWriteAttributes(h: HeaderBag): WriteAttributes {
  checkStorageClass(h);
  const out: WriteAttributes = { content: readContentHeaders(h), userMetadata: readUserMetadata(h) };
  const acl = readCannedAcl(h);
  if (acl !== undefined) out.acl = acl;
  const tags = parseTaggingHeader(headerValue(h, 'x-amz-tagging'));
  if (tags !== undefined) out.tags = tags;
  return out;
}
