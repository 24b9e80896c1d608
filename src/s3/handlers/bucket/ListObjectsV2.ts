/** ListObjectsV2: prefix, delimiter, max-keys ≤1000, continuation-token, start-after, encoding-type=url, fetch-owner. */
import { ownerOf } from '../../owner.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { XmlWriter } from '../../xml.js';
import { writeCommonPrefixes, writeContents } from './listingRows.js';
import { encodeKey, encodingParam, maxParam, optionalParam } from './listingParams.js';

export const listObjectsV2: S3Handler<BucketCall> = async (call, reply) => {
  const q = call.endpoint.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = optionalParam(q, 'delimiter');
  const maxKeys = maxParam(q, 'max-keys');
  const encoding = encodingParam(q);
  const token = q.get('continuation-token');
  const startAfter = optionalParam(q, 'start-after');
  const fetchOwner = q.get('fetch-owner') === 'true';
  const page = await call.services.objects.listObjectsV2(call.bucket, {
    prefix,
    delimiter,
    maxKeys,
    // An empty token is no token (boto3 sends `continuation-token=` when a caller passes ''); it is echoed.
    continuationToken: token === '' ? undefined : token,
    startAfter,
  });

  const w = new XmlWriter('ListBucketResult')
    .elem('Name', call.bucket.name)
    .elem('Prefix', encodeKey(prefix, encoding))
    .elem('Delimiter', delimiter === undefined ? undefined : encodeKey(delimiter, encoding))
    .elem('MaxKeys', maxKeys)
    .elem('EncodingType', encoding)
    .elem('KeyCount', page.keyCount)
    .elem('IsTruncated', page.isTruncated)
    .elem('ContinuationToken', token)
    .elem('NextContinuationToken', page.nextContinuationToken)
    .elem('StartAfter', startAfter === undefined ? undefined : encodeKey(startAfter, encoding));
  writeContents(w, page.contents, encoding, fetchOwner ? ownerOf(call.bucket.accountId) : undefined);
  writeCommonPrefixes(w, page.commonPrefixes, encoding);
  reply.xml(w);
};
