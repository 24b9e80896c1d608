/** ListObjectVersions: versions and delete markers in key order, newest first per key. */
import { ownerOf } from '../../owner.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { XmlWriter } from '../../xml.js';
import { writeCommonPrefixes, writeVersions } from './listingRows.js';
import { encodeKey, encodingParam, maxParam, optionalParam } from './listingParams.js';

export const listObjectVersions: S3Handler<BucketCall> = async (call, reply) => {
  const q = call.endpoint.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = optionalParam(q, 'delimiter');
  const maxKeys = maxParam(q, 'max-keys');
  const encoding = encodingParam(q);
  const keyMarker = optionalParam(q, 'key-marker');
  const versionIdMarker = optionalParam(q, 'version-id-marker');

  const page = await call.services.objects.listObjectVersions(call.bucket, {
    prefix,
    delimiter,
    keyMarker,
    versionIdMarker,
    maxKeys,
  });

  const w = new XmlWriter('ListVersionsResult')
    .elem('Name', call.bucket.name)
    .elem('Prefix', encodeKey(prefix, encoding))
    .elem('KeyMarker', encodeKey(keyMarker ?? '', encoding))
    .elem('VersionIdMarker', versionIdMarker ?? '')
    .elem(
      'NextKeyMarker',
      page.isTruncated && page.nextKeyMarker !== undefined ? encodeKey(page.nextKeyMarker, encoding) : undefined,
    )
    .elem('NextVersionIdMarker', page.isTruncated ? page.nextVersionIdMarker : undefined)
    .elem('MaxKeys', maxKeys)
    .elem('Delimiter', delimiter === undefined ? undefined : encodeKey(delimiter, encoding))
    .elem('EncodingType', encoding)
    .elem('IsTruncated', page.isTruncated);
  writeVersions(w, page.versions, encoding, ownerOf(call.bucket.accountId));
  writeCommonPrefixes(w, page.commonPrefixes, encoding);
  reply.xml(w);
};
