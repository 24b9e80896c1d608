import { unquoteEtag } from '../../../domain/objects/limits.js';
import { etagListMatches } from '../../../domain/objects/write.js';
import { headerValue } from './writeHeaders.js';

/**
 * Conditional request headers, with S3's precedence (RFC 7232 order):
 * If-Match decides over If-Unmodified-Since, If-None-Match decides over If-Modified-Since.
 * Dates compare at whole seconds, as Last-Modified is sent.
 */
export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

export interface Validators {
  etag: string;
  lastModified: number;
}

/** 'ok', or the outcome S3 gives: 304 Not Modified or 412 Precondition Failed (naming the header). */
export type ConditionOutcome = { kind: 'ok' } | { kind: 'notModified' } | { kind: 'failed'; header: string };

/** True when `header` (a list of entity tags or `*`) names `etag` (quoted or not). */
export const etagMatches = (header: string, etag: string): boolean => etagListMatches(header, unquoteEtag(etag));

/** Epoch seconds of an HTTP date, or undefined when it is not a date (S3 then ignores the header). */
export function httpDateSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** For GetObject/HeadObject: a failed "none match"/"modified since" is 304, the others 412. */
export function evaluateReadConditions(c: Conditions, v: Validators): ConditionOutcome {
  const modified = Math.floor(v.lastModified / 1000);
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, v.etag)) return { kind: 'failed', header: 'If-Match' };
  } else {
    const since = httpDateSeconds(c.ifUnmodifiedSince);
    if (since !== undefined && modified > since) return { kind: 'failed', header: 'If-Unmodified-Since' };
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, v.etag)) return { kind: 'notModified' };
  } else {
    const since = httpDateSeconds(c.ifModifiedSince);
    if (since !== undefined && modified <= since) return { kind: 'notModified' };
  }
  return { kind: 'ok' };
}

/**
 * For CopyObject/UploadPartCopy's x-amz-copy-source-if-* headers: every failure is 412, and S3
 * documents the same pairing (if-match true + if-unmodified-since false → copy; if-none-match false +
 * if-modified-since true → 412).
 */
export function evaluateCopySourceConditions(c: Conditions, v: Validators): ConditionOutcome {
  const r = evaluateReadConditions(c, v);
  if (r.kind === 'notModified') {
    return {
      kind: 'failed',
      header: c.ifNoneMatch !== undefined ? 'x-amz-copy-source-if-none-match' : 'x-amz-copy-source-if-modified-since',
    };
  }
  if (r.kind === 'failed') {
    return {
      kind: 'failed',
      header: r.header === 'If-Match' ? 'x-amz-copy-source-if-match' : 'x-amz-copy-source-if-unmodified-since',
    };
  }
  return r;
}

type HeaderBag = Record<string, string | string[] | undefined>;

export const readConditionsFrom = (h: HeaderBag): Conditions => ({
  ifMatch: headerValue(h, 'if-match'),
  ifNoneMatch: headerValue(h, 'if-none-match'),
  ifModifiedSince: headerValue(h, 'if-modified-since'),
  ifUnmodifiedSince: headerValue(h, 'if-unmodified-since'),
});

export const copySourceConditionsFrom = (h: HeaderBag): Conditions => ({
  ifMatch: headerValue(h, 'x-amz-copy-source-if-match'),
  ifNoneMatch: headerValue(h, 'x-amz-copy-source-if-none-match'),
  ifModifiedSince: headerValue(h, 'x-amz-copy-source-if-modified-since'),
  ifUnmodifiedSince: headerValue(h, 'x-amz-copy-source-if-unmodified-since'),
});
