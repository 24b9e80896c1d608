import type { ListCursor, ListObjectsPage, ListVersionsPage, ObjectIndexRepo } from '../ports/ObjectIndexRepo.js';
import { checkMaxKeys, objectError } from './limits.js';
import type { ObjectSummary } from '../ports/objectRecords.js';
import { isCommonPrefixMarker } from './markers.js';

export interface ListObjectsV2Input {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  continuationToken?: string;
  startAfter?: string;
}

export interface ListObjectsV2Output {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Entries returned (contents + common prefixes). */
  keyCount: number;
  nextContinuationToken?: string;
}

export interface ListObjectsV1Input {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  marker?: string;
}

export interface ListObjectsV1Output {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** When truncated: the last key or common prefix returned (S3 sends it only with a delimiter). */
  nextMarker?: string;
}

/** Continuation tokens are opaque to clients: base64url of a cursor kind and the key. */
export function encodeToken(c: ListCursor): string {
  return Buffer.from((c.skipPrefix ? 'P' : 'K') + c.key, 'utf8').toString('base64url');
}

export function decodeToken(token: string): ListCursor {
  const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (raw.length < 2 || (raw[0] !== 'P' && raw[0] !== 'K')) {
    throw objectError('InvalidInput', 'invalid_parameter', `The continuation token provided is incorrect: '${token}'`);
  }
  return { key: raw.slice(1), skipPrefix: raw[0] === 'P' };
}

function markerCursor(
  marker: string | undefined,
  prefix: string,
  delimiter: string | undefined,
): ListCursor | undefined {
  if (marker === undefined || marker === '') return undefined;
  return { key: marker, skipPrefix: isCommonPrefixMarker(marker, prefix, delimiter) };
}

export async function listV2(
  repo: ObjectIndexRepo,
  bucketId: string,
  q: ListObjectsV2Input,
): Promise<ListObjectsV2Output & { rowsRead: number }> {
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter || undefined;
  const maxKeys = checkMaxKeys(q.maxKeys ?? 1000);
  const after =
    q.continuationToken !== undefined
      ? decodeToken(q.continuationToken)
      : markerCursor(q.startAfter, prefix, delimiter);
  const page: ListObjectsPage = await repo.listObjects(bucketId, {
    prefix,
    ...(delimiter ? { delimiter } : {}),
    maxKeys,
    ...(after ? { after } : {}),
  });
  const out: ListObjectsV2Output & { rowsRead: number } = {
    contents: page.contents,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    keyCount: page.contents.length + page.commonPrefixes.length,
    rowsRead: page.rowsRead,
  };
  if (page.isTruncated && page.next) out.nextContinuationToken = encodeToken(page.next);
  return out;
}

export async function listV1(
  repo: ObjectIndexRepo,
  bucketId: string,
  q: ListObjectsV1Input,
): Promise<ListObjectsV1Output> {
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter || undefined;
  const maxKeys = checkMaxKeys(q.maxKeys ?? 1000);
  const after = markerCursor(q.marker, prefix, delimiter);
  const page = await repo.listObjects(bucketId, {
    prefix,
    ...(delimiter ? { delimiter } : {}),
    maxKeys,
    ...(after ? { after } : {}),
  });
  const out: ListObjectsV1Output = {
    contents: page.contents,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
  };
  if (page.isTruncated && page.next) out.nextMarker = page.next.key;
  return out;
}

export interface ListVersionsInput {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys?: number;
}

export async function listVersions(
  repo: ObjectIndexRepo,
  bucketId: string,
  q: ListVersionsInput,
): Promise<ListVersionsPage> {
  if (q.versionIdMarker !== undefined && (q.keyMarker === undefined || q.keyMarker === '')) {
    throw objectError(
      'InvalidInput',
      'invalid_parameter',
      `A version-id marker cannot be specified without a key marker (version-id-marker '${q.versionIdMarker}')`,
    );
  }
  return repo.listObjectVersions(bucketId, {
    prefix: q.prefix ?? '',
    ...(q.delimiter ? { delimiter: q.delimiter } : {}),
    maxKeys: checkMaxKeys(q.maxKeys ?? 1000),
    ...(q.keyMarker ? { keyMarker: q.keyMarker } : {}),
    ...(q.versionIdMarker ? { versionIdMarker: q.versionIdMarker } : {}),
  });
}
