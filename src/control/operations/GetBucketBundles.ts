import { listBucketBundles } from '../../domain/buckets/bundles.js';
import type { OperationHandler } from '../handler.js';

interface Input {
  includeInactive?: boolean;
}

export const GetBucketBundles: OperationHandler = async (input: Input) => {
  return { bundles: listBucketBundles({ includeInactive: input.includeInactive === true }) };
};
