/** ListObjects (v1): prefix, delimiter, marker, max-keys ≤1000, encoding-type=url. */
import { ownerOf } from '../../owner.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { XmlWriter } from '../../xml.js';
import { writeCommonPrefixes, writeContents } from './listingRows.js';
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
    // S3 sends v1's Prefix as given even with encoding-type=url (botocore decodes Marker, NextMarker,
    // Delimiter, Key and CommonPrefixes in v1 responses, never Prefix; v2 encodes Prefix too).
    .elem('Prefix', prefix)
    .elem('Marker', encodeKey(marker ?? '', encoding))
    .elem(
      'NextMarker',
      delimiter !== undefined && page.nextMarker !== undefined ? encodeKey(page.nextMarker, encoding) : undefined,
    )
    .elem('MaxKeys', maxKeys)
    .elem('Delimiter', delimiter === undefined ? undefined : encodeKey(delimiter, encoding))
    .elem('EncodingType', encoding)
    .elem('IsTruncated', page.isTruncated);
  writeContents(w, page.contents, encoding, ownerOf(call.bucket.accountId));
  writeCommonPrefixes(w, page.commonPrefixes, encoding);
  reply.xml(w);
};
