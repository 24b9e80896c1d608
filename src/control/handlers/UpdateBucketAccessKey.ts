import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

/** Sailbucket extension (target `SailbucketAdmin_20261129.`): switch a key Active/Inactive. */
export const UpdateBucketAccessKey: OperationHandler<'UpdateBucketAccessKey'> = async (input, ctx) => {
  const { operations } = await ctx.deps.services.accessKeys.setStatus(
    ctx.caller,
    input.bucketName,
    input.accessKeyId,
    input.status,
  );
  return { operations: operationsView(operations) };
};
