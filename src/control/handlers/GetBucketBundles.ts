import { listBucketBundles } from '../../domain/buckets/bundles.js';
import type { OperationHandler } from '../handler.js';

export const GetBucketBundles: OperationHandler<'GetBucketBundles'> = async (input) => {
  return { bundles: listBucketBundles({ includeInactive: input.includeInactive === true }) };
};
