import { getOperation } from '../../model/accessors.js';
import type { OperationHandler } from '../handler.js';
import { CreateBucket } from './CreateBucket.js';
import { CreateBucketAccessKey } from './CreateBucketAccessKey.js';
import { DeleteBucket } from './DeleteBucket.js';
import { DeleteBucketAccessKey } from './DeleteBucketAccessKey.js';
import { GetBucketAccessKeys } from './GetBucketAccessKeys.js';
import { GetBucketBundles } from './GetBucketBundles.js';
import { GetBucketMetricData } from './GetBucketMetricData.js';
import { GetBuckets } from './GetBuckets.js';
import { GetOperation } from './GetOperation.js';
import { GetOperations } from './GetOperations.js';
import { GetOperationsForResource } from './GetOperationsForResource.js';
import { GetRegions } from './GetRegions.js';
import { SetResourceAccessForBucket } from './SetResourceAccessForBucket.js';
import { TagResource } from './TagResource.js';
import { UntagResource } from './UntagResource.js';
import { UpdateBucket } from './UpdateBucket.js';
import { UpdateBucketAccessKey } from './UpdateBucketAccessKey.js';
import { UpdateBucketBundle } from './UpdateBucketBundle.js';

/** One handler per operation, keyed by the model's operation name. */
export const OPERATION_HANDLERS: Readonly<Record<string, OperationHandler>> = Object.freeze({
  CreateBucket,
  CreateBucketAccessKey,
  DeleteBucket,
  DeleteBucketAccessKey,
  GetBucketAccessKeys,
  GetBucketBundles,
  GetBucketMetricData,
  GetBuckets,
  GetOperation,
  GetOperations,
  GetOperationsForResource,
  GetRegions,
  SetResourceAccessForBucket,
  TagResource,
  UntagResource,
  UpdateBucket,
  UpdateBucketAccessKey,
  UpdateBucketBundle,
});

/**
 * `X-Amz-Target` → operation name, from the model's target prefix of each operation we serve
 * (e.g. `Lightsail_20161128.CreateBucket`, `SailbucketAdmin_20261129.UpdateBucketAccessKey`).
 */
export function buildTargetTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  for (const name of Object.keys(OPERATION_HANDLERS)) {
    table.set(getOperation(name).target, name);
  }
  return table;
}

/** The output shape name of an operation, from the model. */
export function outputShapeOf(name: string): string {
  return getOperation(name).output;
}
