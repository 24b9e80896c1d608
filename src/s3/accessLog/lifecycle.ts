/**
 * Access-log records of what lifecycle rules did, as S3 logs its own lifecycle actions: operation
 * `S3.EXPIRE.OBJECT` (a version removed), `S3.CREATE.DELETEMARKER` (a current version hidden) or
 * `S3.DELETE.UPLOAD` (an unfinished upload aborted), requester `AmazonS3`, and `-` for the fields of
 * an HTTP request there was none of (remote IP, request-URI, status, times, user agent, …).
 */
import { randomBytes } from 'node:crypto';
import type { LifecycleEvent } from '../../domain/lifecycle/runner.js';
import { ownerOf } from '../owner.js';
import { formatAccessLogLine } from './format.js';
import type { AccessLogRecord } from './record.js';

const OPERATION: Record<LifecycleEvent['kind'], string> = {
  expired: 'S3.EXPIRE.OBJECT',
  deleteMarker: 'S3.CREATE.DELETEMARKER',
  uploadAborted: 'S3.DELETE.UPLOAD',
};

/** The record of one lifecycle change, when its bucket logs (else undefined). */
export function lifecycleAccessLogRecord(e: LifecycleEvent): AccessLogRecord | undefined {
  const c = e.bucket.accessLogConfig;
  if (!c.enabled || c.destination === undefined) return undefined;
  return {
    accountId: e.bucket.accountId,
    destination: c.destination,
    prefix: c.prefix ?? '',
    line: formatAccessLogLine({
      bucketOwner: ownerOf(e.bucket.accountId).id,
      bucket: e.bucket.name,
      time: e.at,
      requester: 'AmazonS3',
      requestId: randomBytes(8).toString('hex').toUpperCase(),
      operation: OPERATION[e.kind],
      key: e.key,
      requestUri: '',
      bytesSent: 0,
      ...(e.size !== undefined ? { objectSize: e.size } : {}),
      ...(e.versionId !== undefined ? { versionId: e.versionId } : {}),
    }),
  };
}
