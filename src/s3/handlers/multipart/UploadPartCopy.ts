/**
 * UploadPartCopy: a part made from (a range of) an existing object. The source bucket is
 * authorized for reading on its own (a bucket key cannot copy from another bucket).
 */
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { copySourceConditionsFrom, evaluateCopySourceConditions } from '../object/conditions.js';
import { parseCopySource, parseCopySourceRange } from '../object/copySource.js';
import { headerValue } from '../object/writeHeaders.js';
import { copyPartResult } from './multipartXml.js';
import { partNumberOf, uploadIdOf } from './uploadParams.js';

export const uploadPartCopy: S3Handler<ObjectCall> = async (call, reply) => {
  const uploadId = uploadIdOf(call);
  const partNumber = partNumberOf(call);
  const source = parseCopySource(headerValue(call.headers, 'x-amz-copy-source'));
  const sourceBucket = await call.authorizeSourceRead(source.bucket);
  const ref = {
    bucket: sourceBucket,
    key: source.key,
    ...(source.versionId !== undefined ? { versionId: source.versionId } : {}),
  };
  const rangeHeader = headerValue(call.headers, 'x-amz-copy-source-range');
  let range: { start: number; end: number } | undefined;
  if (rangeHeader !== undefined) {
    const head = await call.services.objects.headObject(
      sourceBucket,
      source.key,
      source.versionId !== undefined ? { versionId: source.versionId } : {},
    );
    range = parseCopySourceRange(rangeHeader, head.object.size);
  }
  const conditions = copySourceConditionsFrom(call.headers);
  const r = await call.services.multipart.uploadPartCopy(call.bucket, call.key, uploadId, partNumber, {
    source: ref,
    ...(range ? { range } : {}),
    checkSource: (src) => {
      const outcome = evaluateCopySourceConditions(conditions, { etag: src.etag, lastModified: src.lastModified });
      if (outcome.kind === 'failed') {
        throw new S3Error(
          'PreconditionFailed',
          `At least one of the pre-conditions you specified did not hold: ${outcome.header}.`,
          { Condition: outcome.header },
        );
      }
    },
  });
  if (sourceBucket.objectVersioning !== 'NeverEnabled') reply.header('x-amz-copy-source-version-id', r.sourceVersionId);
  reply.xml(copyPartResult(r.etag, r.lastModified, r.checksum));
};
