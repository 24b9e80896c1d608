/** GetBucketCors: the CORS rules set through the control plane (UpdateBucket), or NoSuchCORSConfiguration. */
import { S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { XmlWriter } from '../../xml.js';

export const getBucketCors: S3Handler<BucketCall> = async (call, reply) => {
  const rules = call.bucket.cors;
  if (rules.length === 0) {
    throw new S3Error(
      'NoSuchCORSConfiguration',
      `The CORS configuration does not exist for bucket '${call.bucket.name}'.`,
      { BucketName: call.bucket.name },
    );
  }
  const w = new XmlWriter('CORSConfiguration');
  for (const r of rules) {
    w.open('CORSRule').elem('ID', r.id);
    for (const h of r.allowedHeaders ?? []) w.elem('AllowedHeader', h);
    for (const m of r.allowedMethods) w.elem('AllowedMethod', m);
    for (const o of r.allowedOrigins) w.elem('AllowedOrigin', o);
    for (const h of r.exposeHeaders ?? []) w.elem('ExposeHeader', h);
    w.elem('MaxAgeSeconds', r.maxAgeSeconds).close('CORSRule');
  }
  reply.xml(w.done());
};
