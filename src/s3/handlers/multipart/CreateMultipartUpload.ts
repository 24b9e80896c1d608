/** CreateMultipartUpload: records the upload with the object's future attributes and checksum algorithm. */
import type { ChecksumAlgorithm, ChecksumType } from '../../../domain/ports/objectRecords.js';
import { parseChecksumAlgorithm } from '../../../crypto/checksums.js';
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { headerValue, readWriteAttributes } from '../object/writeHeaders.js';
import { checkAclAllowed } from '../object/writeRequest.js';
import { initiateResult } from './multipartXml.js';

function checksumAlgorithmOf(call: ObjectCall): ChecksumAlgorithm | undefined {
  const v = headerValue(call.headers, 'x-amz-checksum-algorithm');
  if (v === undefined) return undefined;
  const alg = parseChecksumAlgorithm(v);
  if (!alg)
    throw new S3Error(
      'InvalidRequest',
      `Checksum algorithm '${v}' is not supported: use CRC32, CRC32C, CRC64NVME, SHA1 or SHA256.`,
    );
  return alg;
}

function checksumTypeOf(call: ObjectCall, alg: ChecksumAlgorithm | undefined): ChecksumType | undefined {
  const v = headerValue(call.headers, 'x-amz-checksum-type');
  if (v === undefined) return alg === undefined ? undefined : alg === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  const t = v.toUpperCase();
  if (t !== 'COMPOSITE' && t !== 'FULL_OBJECT')
    throw new S3Error('InvalidRequest', `Checksum type '${v}' is not valid: use COMPOSITE or FULL_OBJECT.`);
  if (alg === undefined)
    throw new S3Error('InvalidRequest', `x-amz-checksum-type '${v}' needs x-amz-checksum-algorithm.`);
  return t;
}

export const createMultipartUpload: S3Handler<ObjectCall> = async (call, reply) => {
  const attrs = readWriteAttributes(call.headers);
  checkAclAllowed(call, attrs.acl);
  const checksumAlgorithm = checksumAlgorithmOf(call);
  const checksumType = checksumTypeOf(call, checksumAlgorithm);
  const { uploadId } = await call.services.multipart.createMultipartUpload(call.bucket, call.key, {
    ...attrs,
    ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
    ...(checksumType ? { checksumType } : {}),
  });
  if (checksumAlgorithm) reply.header('x-amz-checksum-algorithm', checksumAlgorithm);
  if (checksumType) reply.header('x-amz-checksum-type', checksumType);
  reply.xml(initiateResult(call.bucket.name, call.key, uploadId));
};
