/**
 * One S3 server access-log record, in the space-delimited format S3 delivers to a bucket
 * (docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html), field for field. A field that is
 * unknown or does not apply is `-`; quoted fields escape `"` and `\`; every field escapes control
 * characters (`\xNN`), so one record is always one line.
 */
export interface AccessLogEntry {
  /** Canonical id of the source bucket's owner. */
  bucketOwner: string;
  bucket: string;
  /** Epoch ms the request was received. */
  time: number;
  remoteIp?: string;
  /** Canonical id of the requester; undefined: unauthenticated. */
  requester?: string;
  requestId: string;
  /** `REST.GET.OBJECT`, … */
  operation: string;
  /** The key, as stored (it is URL-encoded here). */
  key?: string;
  /** `GET /b/k?x HTTP/1.1`, credentials already removed. */
  requestUri: string;
  /** Undefined for what was not an HTTP request (lifecycle actions). */
  status?: number;
  errorCode?: string;
  bytesSent: number;
  objectSize?: number;
  totalTimeMs?: number;
  turnAroundTimeMs?: number;
  referer?: string;
  userAgent?: string;
  versionId?: string;
  hostId?: string;
  signatureVersion?: 'SigV2' | 'SigV4';
  cipherSuite?: string;
  authType?: 'AuthHeader' | 'QueryString';
  hostHeader?: string;
  tlsVersion?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `[06/Feb/2019:00:00:38 +0000]` (UTC). */
export function logTime(ms: number): string {
  const d = new Date(ms);
  return `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000]`;
}

// eslint-disable-next-line no-control-regex -- escaping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;
const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** An unquoted field: `-` when empty; spaces and control characters escaped. */
function bare(v: string | number | undefined): string {
  if (v === undefined || v === '') return '-';
  return String(v).replace(CONTROL, hex).replace(/ /g, '\\x20');
}

/** A quoted field: `"-"` when empty; `"` and `\` escaped with a backslash. */
function quoted(v: string | undefined): string {
  if (v === undefined || v === '') return '"-"';
  return `"${v.replace(/["\\]/g, (c) => `\\${c}`).replace(CONTROL, hex)}"`;
}

/** A count that is `-` when zero (bytes sent, as S3 writes it). */
const countOrDash = (n: number | undefined): string => (n === undefined || n === 0 ? '-' : String(n));

/** The key URL-encoded as S3 logs it (`/` kept). */
export const encodeLogKey = (key: string): string => encodeURIComponent(key).replace(/%2F/g, '/');

export function formatAccessLogLine(e: AccessLogEntry): string {
  return [
    bare(e.bucketOwner),
    bare(e.bucket),
    logTime(e.time),
    bare(e.remoteIp),
    bare(e.requester),
    bare(e.requestId),
    bare(e.operation),
    e.key === undefined || e.key === '' ? '-' : bare(encodeLogKey(e.key)),
    quoted(e.requestUri),
    e.status === undefined ? '-' : String(e.status),
    bare(e.errorCode),
    countOrDash(e.bytesSent),
    e.objectSize === undefined ? '-' : String(e.objectSize),
    e.totalTimeMs === undefined ? '-' : String(Math.max(0, Math.round(e.totalTimeMs))),
    e.turnAroundTimeMs === undefined ? '-' : String(Math.max(0, Math.round(e.turnAroundTimeMs))),
    quoted(e.referer),
    quoted(e.userAgent),
    bare(e.versionId),
    bare(e.hostId),
    bare(e.signatureVersion),
    bare(e.cipherSuite),
    bare(e.authType),
    bare(e.hostHeader),
    bare(e.tlsVersion),
    // Access point ARN and aclRequired: no access points, no ACL-based grants.
    '-',
    '-',
  ].join(' ');
}
