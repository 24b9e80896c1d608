import { OPERATIONS, OPERATION_NAMES, type OperationName } from '../../generated/lightsail.js';
import type { OperationHandlers } from '../handler.js';
import { CreateAccount } from './CreateAccount.js';
import { CreateAccountAccessKey } from './CreateAccountAccessKey.js';
import { DeleteAccount } from './DeleteAccount.js';
import { DeleteAccountAccessKey } from './DeleteAccountAccessKey.js';
import { GetAccounts } from './GetAccounts.js';
import { UpdateAccount } from './UpdateAccount.js';
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
export const OPERATION_HANDLERS: OperationHandlers = Object.freeze({
  CreateAccount,
  CreateAccountAccessKey,
  DeleteAccount,
  DeleteAccountAccessKey,
  GetAccounts,
  UpdateAccount,
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
export function buildTargetTable(): ReadonlyMap<string, OperationName> {
  const table = new Map<string, OperationName>();
  for (const name of OPERATION_NAMES) {
    table.set(OPERATIONS[name].target, name);
  }
  return table;
}

/** The output shape name of an operation, from the model. */
export function outputShapeOf(name: OperationName): string {
  return OPERATIONS[name].output;
}
