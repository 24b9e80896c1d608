/**
 * CopyObject: x-amz-copy-source (url-encoded key, versionId), metadata and tagging directives,
 * x-amz-copy-source-if-* on the source, If-None-Match/If-Match on the target. The source bucket is
 * authorized for reading separately (the pipeline authorized the target only): a bucket key
 * cannot copy from another bucket, whether that bucket exists or not.
 */
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { copySourceConditionsFrom, evaluateCopySourceConditions } from './conditions.js';
import { parseCopySource } from './copySource.js';
import { copyObjectResult } from './objectXml.js';
import { setExpirationHeader, setWriteVersionHeader } from './objectResponseHeaders.js';
import { headerValue, readWriteAttributes } from './writeHeaders.js';
import { checkAclAllowed, writeConditions } from './writeRequest.js';

function directive(call: ObjectCall, header: string): 'COPY' | 'REPLACE' {
  const v = headerValue(call.headers, header);
  if (v === undefined || v === 'COPY') return 'COPY';
  if (v === 'REPLACE') return 'REPLACE';
  throw new S3Error('InvalidArgument', `Unknown ${header} '${v}': use COPY or REPLACE.`, {
    ArgumentName: header,
    ArgumentValue: v,
  });
}

export const copyObject: S3Handler<ObjectCall> = async (call, reply) => {
  const source = parseCopySource(headerValue(call.headers, 'x-amz-copy-source'));
  const sourceBucket = await call.authorizeSourceRead(source.bucket);
  const metadataDirective = directive(call, 'x-amz-metadata-directive');
  const taggingDirective = directive(call, 'x-amz-tagging-directive');
  const attributes = readWriteAttributes(call.headers);
  checkAclAllowed(call, attributes.acl);
  const conditions = copySourceConditionsFrom(call.headers);
  const result = await call.services.objects.copyObject(call.bucket, call.key, {
    source: {
      bucket: sourceBucket,
      key: source.key,
      ...(source.versionId !== undefined ? { versionId: source.versionId } : {}),
    },
    metadataDirective,
    taggingDirective,
    attributes,
    ...writeConditions(call),
    checkSource: (src) => {
      const outcome = evaluateCopySourceConditions(conditions, { etag: src.etag, lastModified: src.lastModified });
      if (outcome.kind !== 'ok') {
        throw new S3Error(
          'PreconditionFailed',
          `At least one of the pre-conditions you specified did not hold: ${outcome.kind === 'failed' ? outcome.header : ''}.`,
          { Condition: outcome.kind === 'failed' ? outcome.header : '' },
        );
      }
    },
  });
  if (sourceBucket.objectVersioning !== 'NeverEnabled')
    reply.header('x-amz-copy-source-version-id', result.sourceVersionId);
  setWriteVersionHeader(reply, call.bucket, result.versionId);
  setExpirationHeader(reply, call.services.lifecycle, call.bucket, { key: call.key, ...result });
  reply.xml(copyObjectResult(result.etag, result.lastModified, result.checksum));
};
