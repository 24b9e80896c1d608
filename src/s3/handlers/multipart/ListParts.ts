/** ListParts: the parts uploaded so far, ascending, paged by part-number-marker / max-parts. */
import { S3Error } from '../../errors.js';
import { ownerOf } from '../../owner.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { maxParam } from '../bucket/listingParams.js';
import { listPartsResult } from './multipartXml.js';
import { uploadIdOf } from './uploadParams.js';

const DIGITS = /^\d{1,5}$/;

export const listParts: S3Handler<ObjectCall> = async (call, reply) => {
  const uploadId = uploadIdOf(call);
  const maxParts = maxParam(call.endpoint.query, 'max-parts');
  const rawMarker = call.endpoint.query.get('part-number-marker');
  if (rawMarker !== undefined && rawMarker !== '' && !DIGITS.test(rawMarker)) {
    throw new S3Error(
      'InvalidArgument',
      `part-number-marker must be an integer between 0 and 10000 (got '${rawMarker}').`,
      { ArgumentName: 'part-number-marker', ArgumentValue: rawMarker },
    );
  }
  const partNumberMarker = rawMarker ? Number(rawMarker) : 0;
  const page = await call.services.multipart.listParts(call.bucket, call.key, uploadId, { partNumberMarker, maxParts });
  reply.xml(
    listPartsResult({
      bucket: call.bucket.name,
      key: call.key,
      upload: page.upload,
      owner: ownerOf(call.bucket.accountId),
      partNumberMarker,
      maxParts,
      parts: page.parts,
      isTruncated: page.isTruncated,
      ...(page.nextPartNumberMarker !== undefined ? { nextPartNumberMarker: page.nextPartNumberMarker } : {}),
    }),
  );
};
