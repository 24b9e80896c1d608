/** ListMultipartUploads: unfinished uploads by key then initiation, with prefix/delimiter and markers. */
import { ownerOf } from '../../owner.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { encodeKey, encodingParam, maxParam, optionalParam } from '../bucket/listingParams.js';
import { listUploadsResult } from './multipartXml.js';

export const listMultipartUploads: S3Handler<BucketCall> = async (call, reply) => {
  const q = call.endpoint.query;
  const encoding = encodingParam(q);
  const prefix = q.get('prefix') ?? '';
  const delimiter = optionalParam(q, 'delimiter');
  const keyMarker = optionalParam(q, 'key-marker');
  const uploadIdMarker = optionalParam(q, 'upload-id-marker');
  const maxUploads = maxParam(q, 'max-uploads');
  const page = await call.services.multipart.listMultipartUploads(call.bucket, {
    prefix,
    maxUploads,
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(keyMarker !== undefined ? { keyMarker } : {}),
    ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
  });
  reply.xml(
    listUploadsResult({
      bucket: call.bucket.name,
      owner: ownerOf(call.bucket.accountId),
      prefix,
      maxUploads,
      encodeKey: (k) => encodeKey(k, encoding),
      ...(encoding ? { encodingType: encoding } : {}),
      ...(delimiter !== undefined ? { delimiter } : {}),
      ...(keyMarker !== undefined ? { keyMarker } : {}),
      ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
      uploads: page.uploads,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      ...(page.nextKeyMarker !== undefined ? { nextKeyMarker: page.nextKeyMarker } : {}),
      ...(page.nextUploadIdMarker !== undefined ? { nextUploadIdMarker: page.nextUploadIdMarker } : {}),
    }),
  );
};
