/**
 * OPTIONS (CORS preflight) on a bucket or object: answered from the bucket's CORS rules, unsigned.
 * No rule matching origin, method and requested headers → 403 AccessForbidden, as S3 answers.
 */
import { applyCorsHeaders, findCorsRule, parseRequestHeaders } from '../../cors.js';
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';

const header = (h: BucketCall['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export const optionsObject: S3Handler<BucketCall> = async (call, reply) => {
  const origin = header(call.headers, 'origin');
  if (origin === undefined || origin === '') {
    throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
  }
  const method = header(call.headers, 'access-control-request-method');
  if (method === undefined || !['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(method)) {
    throw new S3Error('BadRequest', `Invalid Access-Control-Request-Method header: '${method ?? ''}'.`);
  }
  const requested = parseRequestHeaders(header(call.headers, 'access-control-request-headers'));
  if (call.bucket.cors.length === 0) {
    throw new S3Error('AccessForbidden', `CORSResponse: CORS is not enabled for bucket '${call.bucket.name}'.`, {
      Method: method,
      ResourceType: 'BUCKET',
    });
  }
  const rule = findCorsRule(call.bucket.cors, origin, method, requested);
  if (rule === undefined) {
    throw new S3Error(
      'AccessForbidden',
      `CORSResponse: This CORS request is not allowed: no rule of bucket '${call.bucket.name}' allows origin '${origin}' with ${method}${requested.length ? ` and headers ${requested.join(', ')}` : ''}.`,
      { Method: method, ResourceType: call.key === undefined ? 'BUCKET' : 'OBJECT' },
    );
  }
  applyCorsHeaders(reply.raw, rule, origin, requested);
  reply.empty(200);
};
