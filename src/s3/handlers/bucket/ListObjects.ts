/** ListObjects (v1): prefix, delimiter, marker, max-keys ≤1000, encoding-type=url. */
import { ownerOf, writeOwner } from '../../owner.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { isoMillis, XmlWriter } from '../../xml.js';
import { encodeKey, encodingParam, maxParam, optionalParam } from './listingParams.js';

export const listObjects: S3Handler<BucketCall> = async (call, reply) => {
  const q = call.endpoint.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = optionalParam(q, 'delimiter');
  const maxKeys = maxParam(q, 'max-keys');
  const encoding = encodingParam(q);
  const marker = optionalParam(q, 'marker');
  const page = await call.services.objects.listObjects(call.bucket, { prefix, delimiter, maxKeys, marker });

  const w = new XmlWriter('ListBucketResult')
    .elem('Name', call.bucket.name)
    .elem('Prefix', encodeKey(prefix, encoding))
    .elem('Marker', encodeKey(marker ?? '', encoding))
    .elem('NextMarker', delimiter !== undefined && page.nextMarker !== undefined ? encodeKey(page.nextMarker, encoding) : undefined)
    .elem('MaxKeys', maxKeys)
    .elem('Delimiter', delimiter === undefined ? undefined : encodeKey(delimiter, encoding))
    .elem('EncodingType', encoding)
    .elem('IsTruncated', page.isTruncated);
  const owner = ownerOf(call.bucket.accountId);
  for (const o of page.contents) {
    w.open('Contents')
      .elem('Key', encodeKey(o.key, encoding))
      .elem('LastModified', isoMillis(o.lastModified))
      .elem('ETag', `"${o.etag}"`)
      .elem('ChecksumAlgorithm', o.checksumAlgorithm)
      .elem('ChecksumType', o.checksumType)
      .elem('Size', o.size);
    writeOwner(w, owner);
    w.elem('StorageClass', o.storageClass).close('Contents');
  }
  for (const p of page.commonPrefixes) w.open('CommonPrefixes').elem('Prefix', encodeKey(p, encoding)).close('CommonPrefixes');
  reply.xml(w.done());
};
