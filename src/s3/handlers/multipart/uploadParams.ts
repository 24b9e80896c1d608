/** Query parameters of the multipart operations: uploadId and partNumber. */
import { S3Error } from '../../errors.js';
import type { S3Call } from '../../types.js';

const DIGITS = /^\d{1,5}$/;

export function uploadIdOf(call: S3Call): string {
  const id = call.endpoint.query.get('uploadId');
  if (id === undefined || id === '')
    throw new S3Error('InvalidArgument', 'The uploadId query parameter is required and must not be empty.', {
      ArgumentName: 'uploadId',
      ArgumentValue: id ?? '',
    });
  return id;
}

export function partNumberOf(call: S3Call): number {
  const raw = call.endpoint.query.get('partNumber') ?? '';
  const n = DIGITS.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 10000)) {
    throw new S3Error(
      'InvalidArgument',
      `Part number must be an integer between 1 and 10000, inclusive (partNumber '${raw}').`,
      { ArgumentName: 'partNumber', ArgumentValue: raw },
    );
  }
  return n;
}
