import { newUuid } from '../crypto/ids.js';
import type { MetadataTx } from '../store/metadata/MetadataStore.js';
import type { CallerContext } from './caller.js';
import type { OperationRecord } from './types.js';

/** Operation types Sailbucket records (Lightsail names; UpdateBucketAccessKey is our extension). */
export type BucketOperationType =
  | 'CreateBucket' | 'DeleteBucket' | 'UpdateBucket' | 'UpdateBucketBundle'
  | 'CreateBucketAccessKey' | 'DeleteBucketAccessKey' | 'UpdateBucketAccessKey'
  | 'TagResource' | 'UntagResource';

/** A finished operation on a bucket: every mutation here completes inside its transaction. */
export function succeededOperation(
  caller: CallerContext,
  resourceName: string,
  operationType: BucketOperationType,
  now: number,
  operationDetails?: string,
): OperationRecord {
  const op: OperationRecord = {
    id: newUuid(),
    accountId: caller.accountId,
    region: caller.region,
    resourceName,
    resourceType: 'Bucket',
    operationType,
    status: 'Succeeded',
    isTerminal: true,
    createdAt: now,
    statusChangedAt: now,
  };
  if (operationDetails !== undefined) op.operationDetails = operationDetails;
  return op;
}

/** Builds a succeeded operation and inserts it in the caller's transaction. */
export async function recordOperation(
  tx: MetadataTx,
  caller: CallerContext,
  resourceName: string,
  operationType: BucketOperationType,
  now: number,
  operationDetails?: string,
): Promise<OperationRecord> {
  const op = succeededOperation(caller, resourceName, operationType, now, operationDetails);
  await tx.control.insertOperation(op);
  return op;
}
