import { newUuid } from '../../crypto/ids.js';
import type { MetadataTx } from '../ports/MetadataStore.js';
import type { CallerContext } from '../caller.js';
import type { OperationRecord } from '../ports/records.js';

/** Operation types Sailbucket records (Lightsail names; UpdateBucketAccessKey is our extension). */
export type BucketOperationType =
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'UpdateBucket'
  | 'UpdateBucketBundle'
  | 'CreateBucketAccessKey'
  | 'DeleteBucketAccessKey'
  | 'UpdateBucketAccessKey'
  | 'TagResource'
  | 'UntagResource';

/**
 * Records a finished operation on a bucket in the caller's transaction: every mutation here
 * completes inside its transaction, so it is Succeeded and terminal when recorded.
 */
export async function recordOperation(
  tx: MetadataTx,
  caller: CallerContext,
  resourceName: string,
  operationType: BucketOperationType,
  now: number,
): Promise<OperationRecord> {
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
  await tx.control.insertOperation(op);
  return op;
}
