/**
 * PutBucketCors / DeleteBucketCors (root only, by the operation table): replace or clear the
 * bucket's CORS rules through BucketService.update, the same rules the control plane sets.
 * Like S3, PutBucketCors needs Content-MD5 or an x-amz-checksum-* value.
 */
import type { CorsRule } from '../../../domain/ports/records.js';
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { asList, asText, readBoundedBody } from '../../xml.js';
import { hasIntegrityHeader } from './DeleteObjects.js';

const texts = (v: unknown): string[] => asList(v).map((x) => asText(x) ?? '');

function parseRule(raw: unknown, i: number): CorsRule {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rule: CorsRule = { allowedMethods: texts(r.AllowedMethod), allowedOrigins: texts(r.AllowedOrigin) };
  if (rule.allowedMethods.length === 0 || rule.allowedOrigins.length === 0) {
    throw new S3Error('MalformedXML', `CORSRule ${i + 1} needs at least one AllowedMethod and one AllowedOrigin.`);
  }
  const id = asText(r.ID);
  if (id !== undefined) rule.id = id;
  if (r.AllowedHeader !== undefined) rule.allowedHeaders = texts(r.AllowedHeader);
  if (r.ExposeHeader !== undefined) rule.exposeHeaders = texts(r.ExposeHeader);
  const age = asText(r.MaxAgeSeconds);
  if (age !== undefined) {
    if (!/^\d{1,9}$/.test(age))
      throw new S3Error('MalformedXML', `CORSRule ${i + 1} MaxAgeSeconds '${age}' is not a whole number.`);
    rule.maxAgeSeconds = Number(age);
  }
  return rule;
}

export const putBucketCors: S3Handler<BucketCall> = async (call, reply) => {
  if (!hasIntegrityHeader(call.headers)) {
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 or x-amz-checksum-* (PutBucketCors must carry an integrity check).',
    );
  }
  const root = call.xml.parse(await readBoundedBody(call.body.stream), 'CORSConfiguration');
  const rules = asList(root.CORSRule).map(parseRule);
  if (rules.length === 0)
    throw new S3Error(
      'MalformedXML',
      'CORSConfiguration needs at least one CORSRule (use DeleteBucketCors to remove them all).',
    );
  const b = call.bucket;
  await call.services.buckets.update({ accountId: b.accountId, region: b.region }, b.name, { cors: rules });
  reply.empty(200);
};

export const deleteBucketCors: S3Handler<BucketCall> = async (call, reply) => {
  const b = call.bucket;
  await call.services.buckets.update({ accountId: b.accountId, region: b.region }, b.name, { cors: [] });
  reply.empty(204);
};
