import { listBucketBundles } from '../../domain/bundles.js';
import type { OperationHandler } from '../handler.js';

export const GetBucketBundles: OperationHandler<'GetBucketBundles'> = async (input) => {
  return { bundles: listBucketBundles({ includeInactive: input.includeInactive === true }) };
};
